/**
 * The written communications of the demo and the comment threads logged from them. The note verbale
 * of Mexico is real (15 February 2021; its reference number is invented for the demo); the other
 * communications are invented and say so in their text.
 */

import type { DemoBlockKey } from './workplan.ts'

export type DemoCommunication = {
  /** Key of the participant (see participants.ts) who speaks for the sending organisation. */
  participantKey: string
  organisation: string
  reference: string
  /** ISO dates (YYYY-MM-DD). */
  sentAt: string
  receivedAt: string
  channel: 'note_verbale' | 'letter' | 'email'
  text: string
}

export type DemoThreadKind =
  | 'comment'
  | 'support'
  | 'proposal'
  | 'question'
  | 'objection'
  | 'procedural'
  | 'editorial'

/** A quoted passage of a block of the demo draft, or null for the document as a whole. */
export type DemoAnchor = { blockKey: DemoBlockKey; quote: string } | null

/**
 * Proposed wording. `insert` adds `text` immediately after the quoted passage; `replace` replaces the
 * quoted passage with `text`; `delete` removes the quoted passage (`text` repeats it).
 */
export type DemoProposal = { action: 'insert' | 'replace' | 'delete'; text: string }

export type DemoThread = {
  /** Stable slug for the thread. */
  key: string
  participantKey: string
  /** Index in demoCommunications of the communication the thread was logged from. */
  communicationIndex: number
  kind: DemoThreadKind
  anchor: DemoAnchor
  /** Other paragraphs the point bears on, for compilations and cross-references. */
  relatedBlockKeys?: DemoBlockKey[]
  body: string
  proposal?: DemoProposal
}

/** The note verbale of the Permanent Mission of Mexico, as received (paragraphs of the seed file). */
const mexicoNote = [
  '“2021: Año de la Independencia”',
  'Geneva, 15 February 2021',
  'The Permanent Mission of Mexico to the United Nations Office and other International Organizations in Geneva presents its compliments to the Secretariat of the Arms Trade Treaty (ATT) and has the honor to refer to the letter of the President of the Seventh Conference of States Parties (CSP7), Amb. Lansana Gberie, dated 29 January 2021, on informal consultations on the multi-year workplans of the WGETI subworking groups on articles 6 & 7, 9 and 11.',
  'Mexico wishes to express that it is relevant to take into consideration that the general context of the informal consultation process proposed by the CSP7 President is linked to the parallel deliberations currently held by the membership regarding the format and schedule of the preparatory meetings of the CSP7.',
  'Despite the uncertainty that prevails due to the COVID-19 pandemic, Mexico attaches great importance to the proposal to advance the planning of the WGETI sub-working groups.',
  'Below is a set of general comments on the draft multi-year workplans of the WGETI sub-working groups on Articles 6 & 7, 9 and 11:',
  'Subgroup Art. 6 & 7 and subgroup Art. 9:',
  '- Mexico agrees with the activities listed in the work plans of these subgroups for the preparatory cycle of CSP7. However, and as for the rest of the subgroups, it will be important to take into consideration the final resolution of the format in which the preparatory meetings CSP7 will be carried out, since the said result will have an impact on the feasibility of carrying out the discussions in the periodicity and modality indicated in the work plans of the subgroups.',
  'Subgroup Art. 11:',
  '- During the debates proposed in the third stage (At or after importation / Post-delivery), Mexico considers it is important to include discussions among the membership and other stakeholders (such as the private sector and civil society) on post-delivery cooperation between exporters and importers to strengthen compliance; prevention and mitigation measures to avoid misuse and unauthorized re-exports; as well as the possibility of establishing as a requirement a certificate of verification of delivery by the end user that confirms that said authorized user has received the items covered by the export license.\n- Mexico would appreciate clarifying whether the planned discussion on the role of transit and transshipment States would take place during the first or the second series of meetings of the CSP7 (page 17 of the draft multi-year workplan).',
  'Mexico notes that the draft multi-year workplans of the three WGETI sub-working groups have been characterized as "living documents of a voluntary nature to be reviewed and updated regularly by the WGETI, in consideration of the work of the other working groups". In this regard, it would be highly appreciated to clarify the implications of the term "voluntary nature". It should not be forgotten that the',
  'working groups, established under the ATT Conference of the Parties, have the purpose of assisting the States parties in the implementation of a Treaty of binding nature.',
  'Acknowledge receipt of this message would be highly appreciated.',
  '**The Permanent Mission of Mexico to the United Nations\nand other International Organizations**',
].join('\n\n')

const norlandNote = [
  'DEMO — invented communication written for the Plenary demonstration.',
  'Geneva, 12 February 2021',
  'The Permanent Mission of the Republic of Norland (DEMO) to the United Nations Office and other international organizations in Geneva presents its compliments to the Secretariat of the Arms Trade Treaty and has the honour to refer to the draft multi-year workplans of the WGETI sub-working groups circulated on 29 January 2021.',
  'The Republic of Norland welcomes the organisation of the work of the Sub-working Group on Article 11 along the transfer chain. It considers, however, that the role of transit and trans-shipment States (Stage 2) is closely linked to the assessment carried out before export (Stage 1) and should not be left to the time remaining after Stage 1 has been discussed. Norland therefore proposes that Stage 2 be scheduled expressly in the first series of meetings, in a joint session with the Sub-working Group on Article 9, and that the timeline table in Annex C be amended accordingly.',
  'The Republic of Norland stands ready to present its national experience as a State through whose seaports a significant volume of conventional arms is trans-shipped.',
  'The Permanent Mission of the Republic of Norland (DEMO) avails itself of this opportunity to renew to the Secretariat of the Arms Trade Treaty the assurances of its highest consideration.',
].join('\n\n')

const civilSocietyLetter = [
  'DEMO — invented communication written for the Plenary demonstration.',
  '10 February 2021',
  'To the Secretariat of the Arms Trade Treaty',
  'Re: Draft multi-year workplans of the WGETI sub-working groups',
  'The Arms Transfer Transparency Network (DEMO), a coalition of non-governmental organisations and research institutes working on arms transfer controls, thanks the Chair of the Working Group on Effective Treaty Implementation for the opportunity to comment on the draft multi-year workplans.',
  'The workplans will shape the work of the sub-working groups until CSP9. We therefore ask that the draft workplans, the comments received on them and each revised version be published on the public pages of the ATT website, and not only in its restricted area, so that national parliaments, researchers and affected communities can follow how the work is planned and contribute to it.',
  'We welcome the provision for written contributions from civil society and industry, and ask that these contributions be published on the same terms.',
  'Ruth Adeyemi (DEMO)\nCoordinator, Arms Transfer Transparency Network (DEMO)',
].join('\n\n')

const industryLetter = [
  'DEMO — invented communication written for the Plenary demonstration.',
  '18 February 2021',
  'To the Secretariat of the Arms Trade Treaty',
  'Re: Draft multi-year workplan of the Sub-working Group on Article 11, Stage 3',
  'The Defence Export Compliance Association (DEMO), which brings together the export-compliance officers of manufacturers and exporters of conventional arms, welcomes the inclusion of post-shipment on-site verification among the topics of Stage 3 in Annex C.',
  'Several of our members have taken part in post-delivery checks organised by their national authorities, and have developed internal procedures for confirming delivery to the authorised end user and for handling requests for spare parts and maintenance after delivery, which can reveal an unauthorised re-transfer. The Association offers to present this experience at the session at which Stage 3 is discussed, in a format to be determined by the facilitator.',
  'We would also appreciate clarification of whether presentations by industry would take place in open session, and whether industry may be invited to the second series of meetings as well as the first.',
  'Jonas Keller (DEMO)\nChair, Export Control Working Group, Defence Export Compliance Association (DEMO)',
].join('\n\n')

export const demoCommunications: DemoCommunication[] = [
  {
    participantKey: 'mexico',
    organisation: 'Mexico',
    reference: 'OGE-00421',
    sentAt: '2021-02-15',
    receivedAt: '2021-02-15',
    channel: 'note_verbale',
    text: mexicoNote,
  },
  {
    participantKey: 'norland',
    organisation: 'Republic of Norland (DEMO)',
    reference: 'NOR/GVA/2021/031',
    sentAt: '2021-02-12',
    receivedAt: '2021-02-12',
    channel: 'note_verbale',
    text: norlandNote,
  },
  {
    participantKey: 'civil-society',
    organisation: 'Arms Transfer Transparency Network (DEMO)',
    reference: 'ATTN-2021-004',
    sentAt: '2021-02-10',
    receivedAt: '2021-02-11',
    channel: 'email',
    text: civilSocietyLetter,
  },
  {
    participantKey: 'industry',
    organisation: 'Defence Export Compliance Association (DEMO)',
    reference: 'DECA/EC/2021/07',
    sentAt: '2021-02-18',
    receivedAt: '2021-02-19',
    channel: 'letter',
    text: industryLetter,
  },
]

export const demoThreads: DemoThread[] = [
  {
    key: 'mexico-support-activities',
    participantKey: 'mexico',
    communicationIndex: 0,
    kind: 'support',
    anchor: {
      blockKey: 'annexAFirstSeries',
      quote: 'focus on the conduct of the export assessment under Article 7(1) and (3)',
    },
    relatedBlockKeys: ['annexASecondSeries', 'annexBFirstSeries', 'annexBSecondSeries', 'meetingFormats'],
    body:
      'Mexico agrees with the activities listed in the workplans of the sub-working groups on Articles 6 & 7 and on ' +
      'Article 9 for the preparatory cycle of CSP7. However, as for the rest of the sub-working groups, it will be ' +
      'important to take into consideration the final resolution of the format in which the CSP7 preparatory ' +
      'meetings will be carried out, since that result will have an impact on the feasibility of carrying out the ' +
      'discussions in the periodicity and modality indicated in the workplans.',
  },
  {
    key: 'mexico-stage-3-insertion',
    participantKey: 'mexico',
    communicationIndex: 0,
    kind: 'proposal',
    anchor: { blockKey: 'stage3', quote: 'with the consent of the importing State.' },
    body:
      'During the debates proposed in the third stage (At or after importation / Post-delivery), Mexico considers ' +
      'it important to include discussions among the membership and other stakeholders, such as the private sector ' +
      'and civil society, on post-delivery cooperation between exporters and importers to strengthen compliance; ' +
      'on prevention and mitigation measures to avoid misuse and unauthorized re-exports; and on the possibility ' +
      'of establishing as a requirement a certificate of verification of delivery by the end user, confirming that ' +
      'the authorized user has received the items covered by the export license. Wording logged by the ' +
      'Secretariat from the note, for insertion at the end of the paragraph.',
    proposal: {
      action: 'insert',
      text:
        ' The sub-working group will also hold discussions among States Parties and other stakeholders, such as ' +
        'the private sector and civil society, on post-delivery cooperation between exporters and importers to ' +
        'strengthen compliance; on prevention and mitigation measures to avoid misuse and unauthorised re-export; ' +
        'and on the possibility of establishing as a requirement a certificate of delivery verification by the end ' +
        'user, confirming that the authorised end user has received the items covered by the export licence.',
    },
  },
  {
    key: 'mexico-stage-2-series',
    participantKey: 'mexico',
    communicationIndex: 0,
    kind: 'question',
    anchor: {
      blockKey: 'stage2',
      quote: 'the role of transit and trans-shipment States in preventing diversion',
    },
    relatedBlockKeys: ['timelineStage2Row', 'timelineStage2FirstSeries'],
    body:
      'Mexico would appreciate clarification of whether the planned discussion on the role of transit and ' +
      'transshipment States would take place during the first or the second series of meetings of the CSP7 ' +
      '(page 17 of the draft multi-year workplan).',
  },
  {
    key: 'mexico-voluntary-nature',
    participantKey: 'mexico',
    communicationIndex: 0,
    kind: 'question',
    anchor: { blockKey: 'voluntaryNature', quote: 'living documents of a voluntary nature' },
    body:
      'Mexico notes that the draft multi-year workplans of the three WGETI sub-working groups have been ' +
      'characterized as "living documents of a voluntary nature to be reviewed and updated regularly by the WGETI, ' +
      'in consideration of the work of the other working groups". It would be highly appreciated to clarify the ' +
      'implications of the term "voluntary nature". It should not be forgotten that the working groups, ' +
      'established under the ATT Conference of States Parties, have the purpose of assisting the States Parties ' +
      'in the implementation of a Treaty of binding nature.',
  },
  {
    key: 'mexico-acknowledge-receipt',
    participantKey: 'mexico',
    communicationIndex: 0,
    kind: 'procedural',
    anchor: null,
    body: 'Acknowledgement of receipt of the note verbale of 15 February 2021 would be highly appreciated.',
  },
  {
    key: 'norland-stage-2-first-series',
    participantKey: 'norland',
    communicationIndex: 1,
    kind: 'proposal',
    anchor: {
      blockKey: 'stage2',
      quote:
        'This discussion will follow the consideration of Stage 1 and will take into account the outcome of the ' +
        'work of the Sub-working Group on Article 9 on key terms and concepts; it may be held in a joint session ' +
        'with that sub-working group.',
    },
    relatedBlockKeys: ['transitOverlap', 'timelineStage2FirstSeries'],
    body:
      'The role of transit and trans-shipment States is closely linked to the assessment carried out before ' +
      'export and should not depend on the time left after Stage 1. Norland proposes that Stage 2 be scheduled ' +
      'expressly in the first series of meetings, in a joint session with the Sub-working Group on Article 9, and ' +
      'offers to present its experience as a State of trans-shipment.',
    proposal: {
      action: 'replace',
      text:
        'This discussion will take place during the first series of meetings, in a joint session with the ' +
        'Sub-working Group on Article 9.',
    },
  },
  {
    key: 'norland-timeline-table',
    participantKey: 'norland',
    communicationIndex: 1,
    kind: 'editorial',
    anchor: { blockKey: 'timelineStage2FirstSeries', quote: 'time permitting' },
    relatedBlockKeys: ['timelineStage2Row'],
    body:
      'Consequential on the proposal concerning Stage 2: the timeline table should show Stage 2 in the first ' +
      'series without the words "following Stage 1, time permitting", and the entry in the second series should ' +
      'refer only to follow-up.',
  },
  {
    key: 'civil-society-publication',
    participantKey: 'civil-society',
    communicationIndex: 2,
    kind: 'procedural',
    anchor: null,
    body:
      'The Arms Transfer Transparency Network (DEMO) asks that the draft workplans, the comments received on them ' +
      'and each revised version be published on the public pages of the ATT website, so that parliaments, ' +
      'researchers and affected communities can follow and contribute to the work; and that written ' +
      'contributions from civil society and industry be published on the same terms.',
  },
  {
    key: 'civil-society-public-documents',
    participantKey: 'civil-society',
    communicationIndex: 2,
    kind: 'proposal',
    anchor: { blockKey: 'documents', quote: 'in the restricted area of the' },
    relatedBlockKeys: ['civilSociety'],
    body: 'Working documents of the sub-working groups should be public unless a delegation asks otherwise.',
    proposal: { action: 'replace', text: 'on the public pages of the' },
  },
  {
    key: 'industry-post-delivery-presentation',
    participantKey: 'industry',
    communicationIndex: 3,
    kind: 'comment',
    anchor: { blockKey: 'stage3', quote: 'post-shipment on-site verification by the exporting State' },
    body:
      'The Defence Export Compliance Association (DEMO) welcomes this topic and offers to present the experience ' +
      'of its members with post-delivery checks organised by national authorities, with internal procedures for ' +
      'confirming delivery to the authorised end user, and with requests for spare parts and maintenance that ' +
      'can reveal an unauthorised re-transfer.',
  },
  {
    key: 'industry-open-session',
    participantKey: 'industry',
    communicationIndex: 3,
    kind: 'question',
    anchor: {
      blockKey: 'civilSociety',
      quote: 'at the discretion of the facilitator and in consultation with the Chair',
    },
    body:
      'Would presentations by industry take place in open session, and may industry be invited to the second ' +
      'series of meetings as well as the first?',
  },
]
