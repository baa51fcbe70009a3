// Every CSV import the CLI knows, by kind name.

import type { Importer } from './framework.ts';
import { peopleImporter } from './people.ts';
import { enterprisesImporter } from './enterprises.ts';
import { hazardsImporter } from './hazards.ts';
import { inspectionsImporter } from './inspections.ts';
import { enforcementImporter } from './enforcement.ts';
import { teamsImporter } from './teams.ts';
import { rosterImporter } from './roster.ts';
import { holidaysImporter } from './holidays.ts';

export const importers: Record<string, Importer<any>> = {
  [peopleImporter.name]: peopleImporter,
  [enterprisesImporter.name]: enterprisesImporter,
  [hazardsImporter.name]: hazardsImporter,
  [inspectionsImporter.name]: inspectionsImporter,
  [enforcementImporter.name]: enforcementImporter,
  [teamsImporter.name]: teamsImporter,
  [rosterImporter.name]: rosterImporter,
  [holidaysImporter.name]: holidaysImporter,
};

export { runImport, formatImportResult, type Importer, type ImportContext, type ImportResult, type RowError } from './framework.ts';
