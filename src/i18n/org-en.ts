import type { Dictionary } from './uk'

export const orgEn: Dictionary['org'] = {
  contactTitle: 'Contact',
  privacyTitle: 'Privacy notice',
  notWritten: 'The organisation has not filled in this page yet.',
  otherLanguage: 'The organisation has written this page in Ukrainian only.',
  logoAlt: 'Logo: {name}',
  edit: {
    title: 'Organisation details',
    intro:
      "The name is shown in every page's header; links to the contact page and the privacy notice at the foot of every page.",
    languages: { uk: 'in Ukrainian', en: 'in English' },
    name: 'Name ({language})',
    contact: 'Contact ({language})',
    privacy: 'Privacy notice ({language})',
    markupHint:
      'Plain text. A blank line starts a new paragraph; "# " at the start of a line makes a heading, "- " a list item; **bold**; [text](https://…) a link (mailto: and tel: too).',
    save: 'Save',
    saved: 'Saved.',
    preview: 'View',
    tooLong: 'The text is longer than {max} characters (it has {count}): shorten it.',
    notSaved: 'Nothing was saved: correct the marked field.',
    logo: 'Logo',
    logoHint: 'PNG, JPEG or SVG up to 200 KB. An SVG without scripts, links or embedded documents.',
    logoCurrent: 'Current logo',
    logoNone: 'No logo: the header shows the name only.',
    logoFile: 'Logo file',
    logoUpload: 'Upload the logo',
    logoRemove: 'Remove the logo',
    logoSaved: 'The logo was saved.',
    logoRemoved: 'The logo was removed.',
    logoErrors: {
      empty: 'No file was chosen: choose the logo file.',
      'too-large': 'The file "{file}" is larger than 200 KB: make it smaller and choose it again.',
      'not-an-image':
        'The file "{file}" is not a PNG, JPEG or SVG: choose an image of one of these types.',
      'unsafe-svg':
        'The SVG "{file}" contains scripts, links or embedded documents: save it as a plain SVG or a PNG and choose it again.',
      'no-logo': 'There is no logo any more.',
    },
  },
}
