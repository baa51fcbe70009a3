// Stands in for exceljs in the Workers bundle (wrangler.toml [alias]): it needs Node streams and
// zip libraries the Workers runtime does not offer in full. /export says so instead of crashing.
class Workbook {
  constructor() {
    throw new Error('spreadsheet export is not available on Workers');
  }
}
export default { Workbook };
