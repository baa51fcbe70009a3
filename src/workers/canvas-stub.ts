// Stands in for @napi-rs/canvas in the Workers bundle (wrangler.toml [alias]): Skia is a native
// module and cannot run there. Drawing fails with a clear error; /stats answers without its chart.
const unavailable = () => {
  throw new Error('charts are not available on Workers (no native canvas)');
};
export const createCanvas = unavailable;
export const loadImage = unavailable;
export const GlobalFonts = { registerFromPath: unavailable };
export type SKRSContext2D = never;
