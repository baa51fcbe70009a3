import { createRequire } from 'node:module';
import type * as Sdk from '@larksuiteoapi/node-sdk';

// The official SDK is one 6 MB CommonJS file. Imported as an ES module, Node first runs its
// CommonJS export lexer over all of it and builds a namespace; required, it is only compiled —
// 2.5× faster, about half a second of every start on a busy 2-core machine (bench/startup-db.ts).
// Types still come from the package; only the value is loaded this way. Node entries only: the
// Workers bundle talks to Lark through fetch-client.ts.
export const larkSdk: typeof Sdk = createRequire(import.meta.url)('@larksuiteoapi/node-sdk');
