// Every CSV import the CLI knows, by kind name.

import type { Importer } from './framework.ts';
import { peopleImporter } from './people.ts';

export const importers: Record<string, Importer<any>> = {
  [peopleImporter.name]: peopleImporter,
};

export { runImport, formatImportResult, type Importer, type ImportContext, type ImportResult, type RowError } from './framework.ts';
