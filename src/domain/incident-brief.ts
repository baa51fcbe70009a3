// The daily brief's incident lines: every open incident with its teams and response times.
// Imported by the incident command and the dispatch-followup job, so it registers wherever
// the brief can run.

import { briefSections, type BriefSection } from './brief.ts';
import { openIncidents } from './incidents.ts';
import { incidentBriefLine } from '../views/incident-cards.ts';
import { hr, md } from '../lark/cards.ts';

export const openIncidentsSection: BriefSection = async (db, settings) => {
  const recs = await openIncidents(db, 20);
  if (!recs.length) return [hr(), md('**处置中的险情**：无。', '**Open incidents**: none.')];
  const lines = recs.map((r) => incidentBriefLine(r, settings.tz));
  return [
    hr(),
    md(
      `**处置中的险情（${recs.length}）**\n${lines.map((l) => l.zh).join('\n')}`,
      `**Open incidents (${recs.length})**\n${lines.map((l) => l.en).join('\n')}`,
    ),
  ];
};

if (!briefSections.afterFigures.includes(openIncidentsSection)) briefSections.afterFigures.push(openIncidentsSection);
