// The one shape of bilingual text: every label, notice, refusal and card text people read carries
// Chinese (shown first, and the fallback) and English. Cards pass both to Lark as i18n_content;
// plain-text replies put them on two lines (`twoLines`).

export type Bi = { zh: string; en: string };

/** Chinese first, English on the next line: the house style of every text reply. */
export const twoLines = (t: Bi) => `${t.zh}\n${t.en}`;
