import type { SqlClient } from '../db/sql.ts';
import { digestAtSend, type NagDigestRef } from '../domain/nag-digests.ts';
import { nagDigestCard } from '../views/nag-cards.ts';
import { msgTypeAndContent } from './messages.ts';

// Outbox rows whose content is rendered when they are sent, not when they are queued
// (docs/adr/0024): the row names what to say (msg_type `deferred`, content a small JSON
// reference), and the sender asks here for the message at the moment of the call. A province's
// nag digests are 38,000 cards released over an hour: stored rendered they were 157 MB written in
// the run, and a hazard rectified in that hour still showed on its card.

/** Everything a deferred row can name; `kind` says which. */
export type DeferredContent = NagDigestRef;

/** The message a deferred row says now, or undefined when there is nothing left to say. */
export async function renderDeferred(client: SqlClient, content: string, now: Date): Promise<{ msgType: string; content: string } | undefined> {
  const ref = JSON.parse(content) as DeferredContent;
  switch (ref.kind) {
    case 'nag_digest': {
      const d = await digestAtSend(client, ref, now);
      return d && msgTypeAndContent({ card: nagDigestCard(d.items, { recipientName: d.recipientName, now, tz: ref.tz }) });
    }
    default:
      throw new Error(`unknown deferred content ${(ref as { kind?: unknown }).kind}`);
  }
}
