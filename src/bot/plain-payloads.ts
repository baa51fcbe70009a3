// What a pending plain message holds (pending_intents.payload), by kind. Read back with care:
// a row written by an older version may lack a field, and then its button says it no longer works.

import { z } from 'zod';
import { INCIDENT_TYPES, SEVERITIES, type IncidentType, type Severity } from '../domain/incident-types.ts';

const person = z.object({ openId: z.string(), name: z.string() });

export const hazardPayload = z.object({
  enterpriseId: z.number().int().optional(),
  /** An enterprise not registered yet: filed under this name, as /report does. */
  newName: z.string().optional(),
  /** Several matched equally well: the person picks one first. */
  candidates: z.array(z.number().int()).optional(),
  description: z.string(),
  level: z.enum(['general', 'major']),
  /** Epoch ms; absent → the level's default when it is filed. */
  deadline: z.number().optional(),
  assignee: person.optional(),
  /** Images inside the message itself (a post). */
  imageKeys: z.array(z.string()),
});
export type HazardPayload = z.infer<typeof hazardPayload>;

export const incidentPayload = z.object({
  type: z.enum(Object.keys(INCIDENT_TYPES) as [IncidentType, ...IncidentType[]]),
  location: z.string(),
  severity: z.enum(Object.keys(SEVERITIES) as [Severity, ...Severity[]]),
  description: z.string(),
});
export type IncidentPayload = z.infer<typeof incidentPayload>;

export const rectifyPayload = z.object({
  no: z.string(),
  note: z.string().optional(),
  imageKeys: z.array(z.string()),
});
export type RectifyPayload = z.infer<typeof rectifyPayload>;
