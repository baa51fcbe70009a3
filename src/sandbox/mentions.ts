import type { MentionSpec } from '../lark/simulate.ts';

/**
 * "@名字" words become mentions the way the Lark client sends them: the text carries @_user_1,
 * @_user_2 … and `mentions` says who each is. A name nobody answers to stays plain text.
 * Shared by `npm run say` and the sandbox page.
 */
export async function withMentions(
  text: string,
  resolve: (name: string) => Promise<MentionSpec | undefined> | MentionSpec | undefined,
): Promise<{ text: string; mentions: MentionSpec[] }> {
  const mentions: MentionSpec[] = [];
  const words: string[] = [];
  for (const w of text.split(/(\s+)/)) {
    if (!w.startsWith('@') || w.length < 2) {
      words.push(w);
      continue;
    }
    const person = await resolve(w.slice(1));
    if (!person) {
      words.push(w);
      continue;
    }
    mentions.push(person);
    words.push(`@_user_${mentions.length}`);
  }
  return { text: words.join(''), mentions };
}
