// The annual report's two variants (section `reportVariant`): for internal use, with the year's
// totals exact, and for publication, with small counts that could point at a person hidden.
type PluralForm = 'one' | 'few' | 'many' | 'other'

export const reportVariantUk = {
  choice: 'Варіант звіту',
  page: 'сторінка для друку',
  internal: 'для внутрішнього використання',
  public: 'для оприлюднення',
  internalHint: 'Підсумки за рік точні. Не для публікації.',
  publicHint:
    'Для сайту ради: малі числа, що могли б вказати на особу, приховано. Ці файли можна оприлюднювати.',
  label: {
    internal: 'ДЛЯ ВНУТРІШНЬОГО ВИКОРИСТАННЯ',
    public: 'ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ',
  },
  publicNote:
    'Версія для оприлюднення: числа від 1 до {below} показано як «менше {k}» (у таблицях — «< {k}») у розбивках, дрібніших за рік (квартали, канали, анонімність, органи, до яких передано повідомлення, заходи плану), у кількості службових розслідувань та їх результатів і в кількості заходів захисту викривачів, щоб жодне число не вказувало на особу. Якщо приховане число можна було б обчислити з іншого числа пари та загальної кількості, друге число теж приховано.',
  publicNoteOff:
    'Версія для оприлюднення; приховування малих чисел вимкнено налаштуванням (STATS_SMALL_COUNT=0).',
  /** A suppressed count in a sentence: "менше 5 повідомлень". */
  fewerThan: 'менше {k}',
  /** The noun's form after it: genitive plural ("менше 5 повідомлень"). */
  fewerThanForm: 'many' as PluralForm,
  withheld: 'приховано',
}
