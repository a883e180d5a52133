/**
 * Every user-facing string of the client, in English. French and Spanish follow by adding a
 * module of the same shape; components never hold text of their own.
 */
export const strings = {
  appName: 'Plenary',
  appTagline: 'Drafting room',
  skipToContent: 'Skip to main content',
  loading: 'Loading…',
  retry: 'Try again',
  cancel: 'Cancel',
  dismiss: 'Dismiss',
  reload: 'Reload',
  you: 'you',

  header: {
    navLabel: 'Main',
    documents: 'Documents',
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    signingOut: 'Signing out…',
    signOutFailed: 'Could not sign out. Check your connection and try again.',
  },

  signedOut: {
    title: 'Welcome to Plenary',
    lead: 'Plenary is the drafting room where facilitators revise draft texts and delegations follow every change live.',
    howToEnter:
      'You enter Plenary through the personal invitation link that the secretariat sends you. Open that link in this browser to sign in.',
    noLink:
      'If you have not received a link, or it no longer works, please contact the secretariat of your meeting. Do not share your link: it signs you in as yourself.',
    signedOutNotice: 'You have been signed out.',
  },

  home: {
    pageTitle: 'Documents',
    heading: 'Documents',
    intro: 'Texts under negotiation that you can read. Open one to follow or revise it live.',
    empty: 'There are no documents yet.',
    emptySecretariat: 'There are no documents yet. Create the first one with the form on this page.',
    penHolders: 'Pen holders',
    noPenHolders: 'Secretariat only',
    lastChange: 'Last change',
    lastChangeBy: (when: string, who: string) => `${when} by ${who}`,
    created: 'Created',
    youHoldThePen: 'You hold the pen',
    listLabel: 'Documents you can read',
  },

  newDocument: {
    heading: 'New document',
    intro: 'Create a draft and choose who holds the pen. The secretariat can always edit.',
    title: 'Title',
    titlePlaceholder: 'e.g. Draft multi-year workplan',
    penHolders: 'Pen holders',
    penHoldersHint: 'Facilitators and secretariat members who may edit the text.',
    noCandidates: 'No facilitators have been invited yet.',
    loadingCandidates: 'Loading participants…',
    submit: 'Create document',
    submitting: 'Creating…',
    titleRequired: 'Give the document a title.',
  },

  document: {
    loading: 'Opening the document…',
    loadingEditor: 'Loading the editor…',
    notFound: 'This document does not exist, or you are not allowed to read it.',
    backToDocuments: 'Back to documents',
    breadcrumb: 'You are here',
    editorLabel: (title: string) => `Text of ${title}`,
    readOnly: (names: string) => `Read only. The pen is held by ${names}.`,
    readOnlyNobody: 'Read only. The pen is held by the secretariat.',
    namesJoin: (names: string[]) =>
      names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`,
    sizeWarning: 'This document is getting very large. Consider splitting annexes into separate documents.',
    penGained: 'You now hold the pen for this document.',
    penLost: 'You no longer hold the pen for this document. The text is now read only.',
  },

  status: {
    label: 'Connection and save status',
    connecting: 'Connecting…',
    offline: 'Offline — edits kept on this device',
    saving: 'Saving…',
    saved: 'All changes saved',
    readOnlyLive: 'Read only · live',
    disconnected: 'Disconnected',
  },

  closeReasons: {
    4400: 'The connection was closed after a message the server could not read. Reload the page to continue.',
    4401: 'You have been signed out. Open your invitation link again to continue.',
    4403: 'You no longer hold the pen for this document',
    4404: 'This document was not found. It may have been removed.',
    4413: 'This document has reached its size limit; further edits cannot be saved.',
    4429: 'Too many changes or connections at once. Wait a moment, then reload the page.',
    other: 'The server closed the connection. Reload the page to continue.',
  } as Record<number | 'other', string>,

  presence: {
    heading: 'Here now',
    listLabel: 'People in this document',
    alone: 'Only you are here.',
    you: '(you)',
  },

  comments: {
    heading: 'Comments',
    later: 'Comments from delegations will appear here, beside the paragraphs they concern.',
  },

  outline: {
    heading: 'Outline',
    label: 'Document outline',
    empty: 'Headings appear here as the text gains them.',
    untitled: 'Untitled heading',
  },

  toolbar: {
    label: 'Formatting',
    textStyle: 'Text style',
    paragraph: 'Paragraph',
    heading1: 'Heading 1',
    heading2: 'Heading 2',
    heading3: 'Heading 3',
    bold: 'Bold',
    italic: 'Italic',
    underline: 'Underline',
    strike: 'Strikethrough',
    bulletList: 'Bulleted list',
    orderedList: 'Numbered list',
    blockquote: 'Block quote',
    insertTable: 'Insert table',
    addRow: 'Add row below',
    removeRow: 'Remove row',
    addColumn: 'Add column to the right',
    removeColumn: 'Remove column',
    addRowShort: '+ Row',
    removeRowShort: '− Row',
    addColumnShort: '+ Col',
    removeColumnShort: '− Col',
    link: 'Add link',
    removeLink: 'Remove link',
    undo: 'Undo',
    redo: 'Redo',
    groupText: 'Text',
    groupLists: 'Lists and quotes',
    groupTable: 'Table',
    groupLink: 'Link',
    groupHistory: 'History',
    shortcutHint: 'Alt+F10 moves from the text to the toolbar.',
  },

  link: {
    label: 'Link address',
    placeholder: 'https://…',
    apply: 'Apply link',
    invalid: 'Links must start with http://, https:// or mailto:',
    empty: 'Enter a link address.',
  },

  errors: {
    network: 'The server could not be reached. Check your connection and try again.',
    unexpected: 'Something went wrong. Please try again.',
    not_signed_in: 'You are not signed in.',
    forbidden: 'You are not allowed to do this.',
    document_not_found: 'This document does not exist, or you are not allowed to read it.',
    not_found: 'Not found.',
    too_many_requests: 'Too many requests. Wait a moment and try again.',
    storage_unavailable: 'The server cannot reach its storage right now. Try again shortly.',
  } as Record<string, string>,

  notFound: {
    title: 'Page not found',
    body: 'There is no page at this address.',
  },
} as const
