import { defineSignature } from '../../src/index.ts';

/** Translation that keeps meaning, formatting and a caller-supplied glossary. */
export const translate = defineSignature({
  name: 'translate',
  version: '1.0.0',
  description: 'Translate text into a target language, keeping formatting, placeholders and glossary terms.',
  instructions:
    'Translate the source text into the target language. Preserve meaning, tone, line breaks, markdown, ' +
    'URLs and placeholders such as {name} or %s exactly. Render each glossary entry ("term => translation") ' +
    'as given. Do not translate product names. Report the source language as an ISO 639-1 code.',
  tags: ['text', 'translation', 'localization'],
  signature: `sourceText:string "The text to translate",
    targetLanguage:string "Language to translate into, as a name or ISO 639-1 code (e.g. German, de)",
    glossaryEntries?:string(item "One entry written as: term => translation")[] "Required translations of specific terms" ->
    translatedText:string "The translation, with the source formatting and placeholders intact",
    sourceLanguage:string(min 2, max 2) "Detected language of the source text as a lowercase ISO 639-1 code, e.g. en"`,
  examples: [
    {
      inputs: { sourceText: 'Your order {orderId} has shipped.', targetLanguage: 'German' },
      outputs: { translatedText: 'Ihre Bestellung {orderId} wurde versandt.', sourceLanguage: 'en' },
      note: 'Placeholders pass through untouched.',
    },
    {
      inputs: {
        sourceText: 'Ouvrez le tableau de bord pour voir vos factures.',
        targetLanguage: 'en',
        glossaryEntries: ['tableau de bord => Dashboard', 'factures => invoices'],
      },
      outputs: { translatedText: 'Open the Dashboard to see your invoices.', sourceLanguage: 'fr' },
    },
  ],
});
