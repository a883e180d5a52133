/**
 * The demo draft that Plenary ships with (see DOMAIN.md, "The demo the product ships with").
 * All of its wording is newly written for the demonstration: it follows the structure of the
 * draft multi-year workplans circulated on 29 January 2021, not their text.
 */

export type TipTapNode = {
  type: string
  attrs?: Record<string, unknown>
  content?: TipTapNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

export type TipTapDoc = TipTapNode & { type: 'doc' }

export const demoWorkplanTitle = 'Draft multi-year workplans of the WGETI sub-working groups'

/** Blocks that demo comment threads are anchored to. The ids never change. */
export const demoBlockIds = {
  purpose: 'gen-purpose',
  mandate: 'gen-mandate',
  sequencing: 'gen-sequencing',
  transitOverlap: 'gen-transit-overlap',
  voluntaryNature: 'gen-voluntary-nature',
  meetingFormats: 'gen-meeting-formats',
  documents: 'gen-documents',
  civilSociety: 'gen-civil-society',
  annexAObjectives: 'a-objectives',
  annexAFirstSeries: 'a-first-series',
  annexASecondSeries: 'a-second-series',
  annexBObjectives: 'b-objectives',
  annexBFirstSeries: 'b-first-series',
  annexBSecondSeries: 'b-second-series',
  annexCObjectives: 'c-objectives',
  stage1: 'c-stage-1',
  stage2: 'c-stage-2',
  stage3: 'c-stage-3',
  crossCutting: 'c-cross-cutting',
  dief: 'c-dief',
  timeline: 'c-timeline',
  timelineStage2Row: 'c-timeline-table-stage-2-c1-p',
  timelineStage2FirstSeries: 'c-timeline-table-stage-2-c2-p',
} as const

export type DemoBlockKey = keyof typeof demoBlockIds

/** For each anchored block, an exact passage of its text that a demo comment quotes. */
export const demoQuotes: Record<DemoBlockKey, string> = {
  purpose: 'the predictability needed to prepare national contributions in advance',
  mandate: 'multi-year workplans for its sub-working groups',
  sequencing: 'The first series of meetings corresponds to the preparatory process of CSP7',
  transitOverlap: 'convene a joint session of the two sub-working groups',
  voluntaryNature: 'living documents of a voluntary nature',
  meetingFormats: 'depend on the health conditions prevailing at the time of each session',
  documents: 'in the restricted area of the ATT website',
  civilSociety: 'at the discretion of the facilitator and in consultation with the Chair',
  annexAObjectives: 'consistent and effective application of the prohibitions in Article 6',
  annexAFirstSeries: 'focus on the conduct of the export assessment under Article 7(1) and (3)',
  annexASecondSeries: 'mitigation measures under Article 7(2)',
  annexBObjectives: 'necessary and feasible',
  annexBFirstSeries: 'key terms and concepts of Article 9',
  annexBSecondSeries: 'practical implementation of transit and trans-shipment controls',
  annexCObjectives: 'Possible measures to prevent and address diversion',
  stage1: 'the assessment of the risk of diversion of the export',
  stage2: 'the role of transit and trans-shipment States in preventing diversion',
  stage3: 'post-shipment on-site verification by the exporting State',
  crossCutting: 'alerting potentially affected States Parties',
  dief: 'operational information on concrete cases of suspected or detected diversion',
  timeline: 'indicative allocation of the stages to the series of meetings',
  timelineStage2Row: 'Stage 2: transit and trans-shipment',
  timelineStage2FirstSeries: 'time permitting',
}

type Inline = string | TipTapNode

const text = (value: string, ...marks: string[]): TipTapNode =>
  marks.length > 0
    ? { type: 'text', text: value, marks: marks.map((type) => ({ type })) }
    : { type: 'text', text: value }

const bold = (value: string): TipTapNode => text(value, 'bold')

const italic = (value: string): TipTapNode => text(value, 'italic')

const link = (value: string, href: string): TipTapNode => ({
  type: 'text',
  text: value,
  marks: [{ type: 'link', attrs: { href } }],
})

/** Consecutive strings become one text node, so source lines can be wrapped freely. */
const inline = (parts: Inline[]): TipTapNode[] => {
  const nodes: TipTapNode[] = []
  for (const part of parts) {
    const last = nodes.at(-1)
    if (typeof part === 'string' && last?.type === 'text' && !last.marks) {
      last.text += part
    } else {
      nodes.push(typeof part === 'string' ? text(part) : part)
    }
  }
  return nodes
}

/** A heading; `numberPrefix` restarts paragraph numbering with that prefix. */
const h = (level: 1 | 2 | 3, id: string, title: string, numberPrefix?: string): TipTapNode => ({
  type: 'heading',
  attrs: numberPrefix === undefined ? { level, id } : { level, id, numberPrefix },
  content: [text(title)],
})

/** A paragraph, numbered automatically when it is at the top level. */
const p = (id: string, ...parts: Inline[]): TipTapNode => ({
  type: 'paragraph',
  attrs: { id },
  content: inline(parts),
})

/** An unnumbered paragraph: header block, title and introductory lines. */
const u = (id: string, ...parts: Inline[]): TipTapNode => ({
  type: 'paragraph',
  attrs: { id, numbered: false },
  content: inline(parts),
})

const items = (listId: string, entries: string[]): TipTapNode[] =>
  entries.map((entry, index) => ({
    type: 'listItem',
    attrs: { id: `${listId}-${index + 1}` },
    content: [p(`${listId}-${index + 1}-p`, entry)],
  }))

const bullets = (id: string, ...entries: string[]): TipTapNode => ({
  type: 'bulletList',
  attrs: { id },
  content: items(id, entries),
})

const quote = (id: string, ...parts: Inline[]): TipTapNode => ({
  type: 'blockquote',
  attrs: { id },
  content: [p(`${id}-p`, ...parts)],
})

const cell = (type: 'tableHeader' | 'tableCell', id: string, value: string): TipTapNode => ({
  type,
  attrs: { id, colspan: 1, rowspan: 1, colwidth: null },
  content: [p(`${id}-p`, value)],
})

const row = (id: string, type: 'tableHeader' | 'tableCell', values: string[]): TipTapNode => ({
  type: 'tableRow',
  attrs: { id },
  content: values.map((value, index) => cell(type, `${id}-c${index + 1}`, value)),
})

/** A table whose first row is a header row; rows are `[slug, cells]`, giving ids `<table>-<slug>-c<n>-p`. */
const table = (id: string, header: string[], rows: [string, string[]][]): TipTapNode => ({
  type: 'table',
  attrs: { id },
  content: [
    row(`${id}-head`, 'tableHeader', header),
    ...rows.map(([slug, values]) => row(`${id}-${slug}`, 'tableCell', values)),
  ],
})

const ids = demoBlockIds

const headerBlock: TipTapNode[] = [
  u('hdr-treaty', bold('Arms Trade Treaty')),
  u('hdr-conference', 'Seventh Conference of States Parties'),
  u('hdr-working-group', 'Working Group on Effective Treaty Implementation'),
  u('hdr-symbol', 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft'),
  u('hdr-date', '29 January 2021'),
  u('hdr-original', 'Original: English'),
  u('hdr-demo', bold('DEMO — text written for the Plenary demonstration; not an official document')),
  u('title', bold(demoWorkplanTitle)),
  u('subtitle', italic('Submitted by the Chair of the Working Group on Effective Treaty Implementation')),
  u(
    'intro-circulation',
    'The present draft is circulated for the informal consultations on the multi-year workplans of the ',
    'sub-working groups announced by the President of the Seventh Conference of States Parties (CSP7) in a ',
    'letter dated 29 January 2021. Part I sets out general provisions common to the three sub-working groups. ',
    'Annexes A, B and C contain the workplans of the Sub-working Groups on Articles 6 and 7, on Article 9 and ',
    'on Article 11 respectively.',
  ),
  u(
    'intro-comments',
    'Delegations are invited to send written comments, questions and proposed wording to the ATT Secretariat ',
    'by 19 February 2021, citing the paragraph numbers of this draft. Comments will be compiled by paragraph ',
    'and by delegation, reproduced as received and without prejudice, and circulated together with a revised ',
    'draft ahead of the first session of the Working Group.',
  ),
  u(
    'intro-demo-note',
    italic(
      'This demonstration text is newly written. It follows the structure of the draft circulated in 2021, ' +
        'not its wording; the names of persons and of some delegations are invented.',
    ),
  ),
]

const partOne: TipTapNode[] = [
  h(1, 'part-1', 'Part I. General', ''),
  h(2, 'part-1-purpose', 'Purpose and scope'),
  p(
    ids.purpose,
    'The multi-year workplans set out how the three sub-working groups of the Working Group on Effective ',
    'Treaty Implementation (WGETI) will organise their substantive work over the preparatory cycles of the ',
    'Seventh, Eighth and Ninth Conferences of States Parties. They identify, for each sub-working group, the ',
    'topics to be addressed, the order in which they will be taken up, the expected outputs and the indicative ',
    'timeline. Their purpose is to give States Parties and other participants the predictability needed to ',
    'prepare national contributions in advance, to identify the officials best placed to take part and, where ',
    'relevant, to plan requests for sponsorship.',
  ),
  p(
    'gen-scope',
    'The workplans concern the Sub-working Group on Articles 6 and 7 (Prohibitions; Export and Export ',
    'Assessment), the Sub-working Group on Article 9 (Transit or trans-shipment) and the Sub-working Group on ',
    'Article 11 (Diversion). Matters that fall within the mandate of the Working Group on Transparency and ',
    'Reporting (WGTR) or of the Working Group on Treaty Universalization (WGTU) are addressed here only where ',
    'the work of a sub-working group depends on them, and then only to identify the points at which ',
    'coordination among the working groups is needed.',
  ),
  p(
    'gen-approach',
    'The sub-working groups are fora for the practical exchange of national experience. Their discussions aim ',
    'at identifying the challenges that States Parties encounter in implementing the Treaty, the practices ',
    'that have proven useful in addressing them, and the assistance that may be needed. They are not intended ',
    'to negotiate interpretations of the provisions of the Treaty. Where a discussion reveals divergent ',
    'understandings of a provision, the facilitator will record the range of views expressed rather than seek ',
    'to reconcile them.',
  ),
  h(2, 'part-1-mandate', 'Mandate'),
  p(
    ids.mandate,
    'The Second Conference of States Parties established the WGETI as a standing working group to address ',
    'the implementation of the Treaty, and the WGETI has since organised its work through sub-working groups ',
    'dedicated to specific provisions. Following the Sixth Conference of States Parties, which owing to the ',
    'COVID-19 pandemic took its decisions by written procedure in 2020, the WGETI was tasked with developing ',
    'multi-year workplans for its sub-working groups, so that their work could be planned beyond the horizon ',
    'of a single Conference cycle.',
  ),
  p(
    'gen-roles',
    'The Chair of the WGETI, appointed by the President of the Conference, is responsible for the overall ',
    'coordination of the work of the sub-working groups and for the present workplans. The Chair appoints a ',
    'facilitator from a State Party for each sub-working group. Facilitators conduct the discussions, prepare ',
    'guiding questions and background papers, draft the outputs of their sub-working group and hold the pen ',
    'on the corresponding annex. The Chair keeps the Management Committee and the President of the Conference ',
    'informed of progress, in particular where the implementation of the workplans has implications for the ',
    'schedule or the budget of the Conference.',
  ),
  p(
    'gen-continuity',
    'Facilitators are appointed for one Conference cycle and may be reappointed. When a facilitator changes, ',
    'the outgoing facilitator will hand over to the successor a short note on the state of the discussions, ',
    'the contributions received and the commitments made to delegations, so that the sequence set out in the ',
    'annex concerned is not interrupted. The workplans themselves are intended to provide the same continuity ',
    'when the Presidency of the Conference and the Chair of the WGETI change.',
  ),
  p(
    'gen-conference',
    'The outputs of the sub-working groups are submitted by the Chair to the Conference of States Parties in ',
    'the report of the WGETI. The Conference decides how to treat each output, for instance by endorsing it, ',
    'welcoming it or taking note of it, and may give further direction to the WGETI. Nothing in the ',
    'workplans prejudges the decisions of the Conference on the outputs submitted to it.',
  ),
  h(2, 'part-1-sequencing', 'Sequencing over three Conference cycles'),
  p(
    ids.sequencing,
    'The workplans cover three Conference cycles. The first series of meetings corresponds to the preparatory ',
    'process of CSP7 in 2021; the second series of meetings corresponds to the preparatory process of CSP8 in ',
    '2022; the preparatory process of CSP9 in 2023 is reserved for consolidating the outputs of the first two ',
    'series, reviewing the workplans and deciding whether and how the sub-working groups should continue their ',
    'work. The term "series of meetings" refers to all the sessions of the WGETI held within one preparatory ',
    'process.',
  ),
  p(
    'gen-series-structure',
    'Each series of meetings is expected to comprise two sessions of the WGETI: a first session in the first ',
    'half of the year and a second session shortly before the Conference, normally back-to-back with the ',
    'informal preparatory meeting. Subject to the overall time available to the WGETI, each sub-working group ',
    'would be allocated between half a day and one full day per session. The annexes allocate activities to ',
    'series rather than to sessions, so that the facilitators may distribute them between sessions in the ',
    'light of the dates and format eventually decided.',
  ),
  p(
    'gen-consecutive',
    'The sub-working groups will meet consecutively and not in parallel, so that delegations with a small ',
    'number of experts can take part in all of them. The order in which the sub-working groups meet will ',
    'rotate from one session to the next, so that no sub-working group is systematically placed at the end ',
    'of a session, when time is most often short.',
  ),
  p(
    ids.transitOverlap,
    'The role of transit and trans-shipment States is relevant both to the Sub-working Group on Article 9 and ',
    'to the second stage of the work of the Sub-working Group on Article 11. To avoid duplication, the ',
    'facilitators of the two sub-working groups will coordinate the timing and content of these discussions, ',
    'and the Chair may convene a joint session of the two sub-working groups when both have reached the ',
    'relevant stage of their work.',
  ),
  h(2, 'part-1-nature', 'Nature and review of the workplans'),
  p(
    ids.voluntaryNature,
    'The multi-year workplans are living documents of a voluntary nature to be reviewed and updated regularly ',
    'by the WGETI, in consideration of the work of the other working groups. They describe an intended ',
    'sequence of work and the outputs that the sub-working groups aim to produce, and they are not themselves ',
    'decisions of the Conference.',
  ),
  p(
    'gen-review',
    'The Chair, in consultation with the facilitators, will review the workplans at the end of each series of ',
    'meetings, taking into account the progress made, the outcome of the Conference and any direction it has ',
    'given, and the programmes of work of the WGTR and the WGTU. Proposed updates will be circulated in ',
    'writing at least four weeks before the first session of the following series, and the updated workplans ',
    'will be annexed to the report of the WGETI Chair to the Conference.',
  ),
  p(
    'gen-carry-over',
    'Where the discussion of a topic requires more time than foreseen, the facilitator may carry it over to ',
    'the following session or series of meetings instead of curtailing it. Topics that are carried over keep ',
    'their place in the sequence of the annex concerned, and the facilitator will indicate in the summary of ',
    'the session which topics have been carried over and why. Topics are not to be removed from a workplan ',
    'without consultation of the sub-working group.',
  ),
  h(2, 'part-1-methods', 'Methods of work'),
  p(
    ids.meetingFormats,
    'The format of the meetings of the sub-working groups will depend on the health conditions prevailing at ',
    'the time of each session and on the decisions taken on the format and schedule of the preparatory ',
    'meetings of CSP7 and subsequent Conferences. Three formats are envisaged: in person, in Geneva; virtual, ',
    'by means of an online platform; and written, through the circulation of guiding questions and the ',
    'compilation of written contributions. A session may combine formats, for instance with participants ',
    'attending both in person and remotely. The activities and timelines in the annexes have been drafted on ',
    'the assumption of in-person meetings and will be adjusted, as set out in the following paragraphs, if ',
    'another format is decided.',
  ),
  p(
    'gen-virtual',
    'If a session takes place virtually, meeting time will be limited to not more than three hours per day, ',
    'scheduled so as to remain within reasonable working hours across the time zones of participating ',
    'delegations. Presentations by experts will, where possible, be recorded and posted in advance, so that ',
    'meeting time is devoted to discussion. Facilitators may reduce the number of topics addressed in a ',
    'virtual session and carry the remainder over, in which case the topics closest to the production of an ',
    'output will have priority.',
  ),
  p(
    'gen-written',
    'If it is not possible to meet in person or virtually, facilitators will circulate guiding questions ',
    'through the Secretariat and invite written contributions within a period of not less than four weeks. ',
    'The Secretariat will compile the contributions as received, presenting those from civil society and ',
    'industry separately from those of States. The facilitator will prepare a summary of the contributions, ',
    'which will be circulated for comment before being included in the report of the WGETI Chair. No output ',
    'will be considered agreed through written exchanges alone unless the Conference so decides.',
  ),
  p(
    ids.documents,
    'Background papers, guiding questions and draft outputs will be made available in the restricted area of ',
    'the ',
    link('ATT website', 'https://www.thearmstradetreaty.org'),
    ' at least two weeks before the session at which they are to be discussed. Documents will be issued in ',
    'English, bear a symbol of the form ATT/CSP7.WGETI/2021/CHAIR/<serial> and be reissued with a revision ',
    'suffix when amended, so that delegations can refer to a specific version. Delegations are encouraged to ',
    'cite paragraph numbers together with the symbol of the version cited, since numbers may change from one ',
    'revision to the next.',
  ),
  p(
    'gen-guiding-questions',
    'Each session of a sub-working group will be prepared on the basis of guiding questions circulated by the ',
    'facilitator. Delegations are encouraged to prepare their contributions with the questions in mind and to ',
    'illustrate them with concrete national practice, including difficulties encountered and approaches that ',
    'did not work as expected. Presentations by delegations should, as a rule, not exceed ten minutes, so that ',
    'time remains for exchanges among the participants.',
  ),
  p(
    'gen-experts',
    'Delegations are encouraged to include officials with operational responsibility for the matters under ',
    'discussion, such as licensing officers, customs and border officials, and law-enforcement officers. The ',
    'ATT Sponsorship Programme is invited to give due consideration to the participation of such officials ',
    'when selecting sponsored delegates for the sessions of the WGETI.',
  ),
  h(2, 'part-1-participation', 'Participation'),
  p(
    ids.civilSociety,
    'Representatives of civil society, including non-governmental organisations and research institutions, ',
    'and of industry contribute expertise that is directly relevant to the work of the sub-working groups. ',
    'They may be invited to make presentations on the topics set out in the annexes, at the discretion of the ',
    'facilitator and in consultation with the Chair, and may submit written contributions on any topic under ',
    'discussion. Written contributions from civil society and industry will be made available to participants ',
    'as received and will be presented separately from the contributions of States.',
  ),
  p(
    'gen-igos',
    'International and regional organisations, including the United Nations Office for Disarmament Affairs, ',
    'the United Nations Institute for Disarmament Research, the World Customs Organization and regional ',
    'organisations with instruments on arms transfer controls, may be invited to share relevant expertise, in ',
    'particular on customs procedures, enforcement and assistance programmes. The facilitators will identify ',
    'in their guiding questions the topics on which such contributions would be most useful.',
  ),
  p(
    'gen-gender',
    'Participants are encouraged to ensure the balanced representation of women and men in delegations and ',
    'among presenters. Facilitators will take into account the gender dimensions of the topics under ',
    'discussion, including, in the Sub-working Group on Articles 6 and 7, the assessment of the risk of ',
    'serious acts of gender-based violence under Article 7(4), which was the thematic focus of the Fifth ',
    'Conference of States Parties.',
  ),
  p(
    'gen-closed-sessions',
    'Discussions of national practice may touch on information that delegations consider sensitive. ',
    'Facilitators may therefore, after consultation, hold parts of a session in a format restricted to States ',
    'Parties and signatory States. Information concerning specific cases of suspected or detected diversion ',
    'is not to be exchanged in the sub-working groups: the Diversion Information Exchange Forum established by ',
    'the Sixth Conference of States Parties is the appropriate channel for such exchanges.',
  ),
  h(2, 'part-1-outputs', 'Outputs, reporting and resources'),
  p(
    'gen-outputs',
    'The outputs of the sub-working groups may take several forms: chapters of voluntary guides, ',
    'compilations of national practice, lists of guiding questions or elements for consideration by national ',
    "authorities, and facilitators' summaries of discussions. Each annex identifies the outputs intended for ",
    'each series of meetings. Draft outputs will be circulated for comment at least four weeks before the ',
    'session at which the sub-working group is expected to conclude its consideration of them.',
  ),
  p(
    'gen-reporting',
    'The Chair will report to each Conference on the work of the sub-working groups, indicating for each annex ',
    'the activities completed, the activities carried over, and the outputs submitted for the consideration ',
    "of the Conference together with any recommendation on how they might be treated. The facilitators' ",
    'summaries of each session will be annexed to the report.',
  ),
  p(
    'gen-resources',
    'The activities set out in the workplans are to be carried out within the time allocated to the WGETI in ',
    'the preparatory process of each Conference and within the resources available to the Secretariat. States ',
    'Parties may wish to consider supporting, including through the ATT Voluntary Trust Fund, projects that ',
    'help national authorities apply the outputs of the sub-working groups.',
  ),
  p(
    'gen-other-working-groups',
    'The Chair will coordinate with the chairs of the WGTR and the WGTU, in particular where the work of a ',
    'sub-working group bears on the reporting templates or on the information that States Parties are ',
    'encouraged to share. Examples include the reporting of measures taken to address diversion under ',
    'Article 11(6) and Article 13(2), and the information on national control systems contained in the ',
    'initial reports submitted under Article 13(1).',
  ),
]

const annexA: TipTapNode[] = [
  h(
    1,
    'annex-a',
    'Annex A. Multi-year workplan of the Sub-working Group on Articles 6 and 7 (Prohibitions; Export and Export Assessment)',
    'A',
  ),
  h(2, 'annex-a-objectives', 'Objectives'),
  p(
    ids.annexAObjectives,
    'The overall objective of the Sub-working Group on Articles 6 and 7 is to support the consistent and ',
    'effective application of the prohibitions in Article 6 and of the export assessment in Article 7 by ',
    'national authorities, through the exchange of information on how States Parties apply the key concepts ',
    'of those provisions in practice. The sub-working group will pursue this objective over the three cycles ',
    'covered by the present workplan, building on its earlier discussions and on the information on national ',
    'control systems provided by States Parties in their initial reports.',
  ),
  p('a-specific-objectives', 'The specific objectives of the sub-working group for the period covered are:'),
  bullets(
    'a-specific-objectives-list',
    'to complete the chapters of the Voluntary Guide to Implementing Articles 6 and 7 that remain to be drafted, beginning with the assessment criteria in Article 7(1);',
    'to collect and compare national practice on the sources of information used in export assessments and on the consultation of other national authorities;',
    'to clarify how States Parties understand and apply the threshold of "overriding risk" in Article 7(3) and the consideration of mitigation measures under Article 7(2);',
    'to examine the assessment of the risk of serious acts of gender-based violence or serious acts of violence against women and children under Article 7(4);',
    'to consider how the prohibitions in Article 6 are reflected in national legislation and licensing procedures.',
  ),
  p(
    'a-baseline',
    'The sub-working group has already discussed a number of the key concepts used in Articles 6 and 7, such ',
    'as "facilitate", "serious violation" and "overriding risk", and has found that national practice differs ',
    'less in substance than in the terminology used. The present workplan therefore gives priority to the ',
    'practical questions of how assessments are conducted, by whom, on what information and with what result, ',
    'rather than to further conceptual discussion.',
  ),
  h(2, 'annex-a-first-series', 'Activities for the first series of meetings (CSP7)'),
  p(
    ids.annexAFirstSeries,
    'During the first series of meetings, the sub-working group will focus on the conduct of the export ',
    'assessment under Article 7(1) and (3). It will exchange national practice on the assessment of the ',
    'potential that conventional arms or items would contribute to or undermine peace and security, or could ',
    'be used to commit or facilitate serious violations of international humanitarian law or international ',
    'human rights law, acts constituting offences under the international conventions relating to terrorism, ',
    'or transnational organized crime. On that basis, the facilitator will prepare a draft chapter of the ',
    'Voluntary Guide on the criteria in Article 7(1).',
  ),
  p(
    'a-first-session',
    'The first session of the series would address the information on which assessments are based. The ',
    'guiding questions for that session would include the following:',
  ),
  bullets(
    'a-first-session-questions',
    'Which national authorities take part in the export assessment, and how are differences of view among them resolved?',
    'Which sources of information are used, including reports of the United Nations and of regional organisations, diplomatic reporting and information from civil society, and how is their reliability weighed?',
    'How is information about the end user and the intended end use taken into account, and what happens when it is incomplete?',
    'How long does an assessment take, and which factors lengthen it?',
  ),
  p(
    'a-second-session',
    'The second session of the series would address the decision that concludes the assessment: how the ',
    'potential negative consequences are weighed against the potential contribution to peace and security, ',
    'how the threshold of "overriding risk" in Article 7(3) is applied, and how decisions are documented so ',
    'that they can be reviewed if new information becomes available. Delegations are invited to present, with ',
    'due regard to confidentiality, anonymised examples of assessments that resulted in a denial or in an ',
    'authorisation subject to conditions.',
  ),
  p(
    'a-first-series-presentations',
    'The facilitator intends to invite presentations from a small number of States Parties with control ',
    'systems of different sizes and structures, including at least one State Party with a recently ',
    'established system, as well as from an organisation with expertise in international humanitarian law on ',
    'the practical application of the criteria related to serious violations of that law. Civil-society ',
    'organisations that monitor arms transfers may be invited to present the sources of information they use, ',
    'in accordance with the provisions of Part I on participation.',
  ),
  p(
    'a-first-series-output',
    'The draft chapter on Article 7(1) and (3) will be circulated for comment at least four weeks before the ',
    'second session of the first series. The facilitator will aim to submit a revised version to CSP7 for ',
    'consideration, together with a summary of the discussions on matters that the chapter does not address.',
  ),
  p(
    'a-small-systems',
    'Throughout the first series, the facilitator will pay particular attention to the situation of States ',
    'Parties that receive few applications for export authorisations or have only recently begun to assess ',
    'them. Such States Parties are invited to describe how they conduct assessments with limited staff, which ',
    'open sources and regional arrangements they rely on, and what kind of guidance they would find most ',
    'useful, so that the draft chapter is of practical use to national authorities of every size.',
  ),
  h(2, 'annex-a-second-series', 'Activities for the second series of meetings (CSP8)'),
  p(
    ids.annexASecondSeries,
    'During the second series of meetings, the sub-working group will turn to the measures and ',
    'considerations that accompany the core assessment: mitigation measures under Article 7(2); the ',
    'assessment of the risk of serious acts of gender-based violence or of violence against women and children ',
    'under Article 7(4); the provision of appropriate information about an authorisation to importing and ',
    'transit or trans-shipment States Parties under Article 7(6); and the reassessment of an authorisation ',
    'when new relevant information becomes available, as encouraged by Article 7(7).',
  ),
  p(
    'a-mitigation',
    'With regard to mitigation measures, the sub-working group will seek to establish which measures States ',
    'Parties have found to be effective, such as confidence-building measures, programmes jointly developed ',
    'with the importing State, training of end users, and assurances on end use and re-export, and how the ',
    'reliability of such measures is assessed before they are relied on. It will also discuss how a mitigation ',
    'measure is followed up once an export has been authorised on the basis of it.',
  ),
  p(
    'a-gender-based-violence',
    'With regard to Article 7(4), the sub-working group will build on the discussions held during the CSP5 ',
    'cycle and examine the indicators and sources of information that national authorities use to assess the ',
    'risk of serious acts of gender-based violence, the training provided to licensing officers on this ',
    'subject, and the extent to which such risk is assessed as a distinct consideration or within the ',
    'criteria of Article 7(1).',
  ),
  p(
    'a-reassessment',
    'With regard to Article 7(6) and (7), the sub-working group will exchange practice on the information that ',
    'exporting States provide, upon request, to importing and transit or trans-shipment States Parties, on the ',
    'circumstances that lead a State Party to reassess an authorisation, and on the consultations with the ',
    'importing State that may precede a decision to suspend or revoke an authorisation. These discussions will ',
    'be coordinated with the Sub-working Group on Article 9.',
  ),
  p(
    'a-article-6',
    'Time permitting, the second series will also include an exchange on the application of Article 6, in ',
    'particular on the procedures used to ensure that licensing decisions reflect measures adopted by the ',
    'Security Council under Chapter VII of the Charter of the United Nations, including arms embargoes, ',
    'promptly after their adoption or amendment, and on the way in which national authorities establish ',
    'knowledge at the time of authorisation within the meaning of Article 6(3).',
  ),
  p(
    'a-scenarios',
    'To structure the discussions of the second series, the facilitator may prepare hypothetical scenarios ',
    'describing fictitious requests for export authorisations. Delegations would be invited to explain how ',
    'their national authorities would approach each scenario, which information they would seek and which ',
    'mitigation measures, if any, they would consider, allowing national practice to be compared without the ',
    'disclosure of actual cases.',
  ),
  h(2, 'annex-a-outputs', 'Outputs and timeline'),
  p('a-outputs', 'The sub-working group aims to produce the following outputs:'),
  bullets(
    'a-outputs-list',
    "by CSP7: a draft chapter of the Voluntary Guide on the criteria in Article 7(1) and the threshold in Article 7(3), and a facilitator's summary of the first series;",
    'by CSP8: a draft chapter on mitigation measures, on the assessment under Article 7(4) and on reassessment, and a compilation of national practice on the sources of information used in export assessments;',
    'by CSP9: a consolidated version of the Voluntary Guide, incorporating the chapters welcomed by previous Conferences, for consideration by the Conference.',
  ),
  p(
    'a-timeline',
    'The indicative timeline assumes two sessions in each series. Should fewer or shorter sessions be ',
    'available, the facilitator will give priority to the activities that lead to the outputs foreseen for ',
    'the Conference concerned and will pursue the remaining activities through written consultation, in ',
    'accordance with Part I.',
  ),
  p(
    'a-coordination',
    'The assessment of the risk of diversion under Article 11(2) forms part of the export assessment in ',
    'practice, even though it is addressed in a separate provision of the Treaty. The facilitators of the ',
    'Sub-working Groups on Articles 6 and 7 and on Article 11 will agree on how to treat this topic, so that ',
    'delegations are not asked to present the same practice twice and the respective outputs are consistent.',
  ),
  p(
    'a-progress',
    'Progress under this annex will be assessed at the end of each series by reference to the outputs ',
    'produced, the number and diversity of the States Parties that have shared national practice, and the ',
    'feedback of delegations on the usefulness of the sessions for national authorities. The facilitator will ',
    'include this assessment in the summary submitted to the Chair.',
  ),
]

const annexB: TipTapNode[] = [
  h(
    1,
    'annex-b',
    'Annex B. Multi-year workplan of the Sub-working Group on Article 9 (Transit or trans-shipment)',
    'B',
  ),
  quote(
    'b-article-9',
    italic('Article 9: '),
    '"Each State Party shall take appropriate measures to regulate, where necessary and feasible, the transit ',
    'or trans-shipment under its jurisdiction of conventional arms covered under Article 2 (1) through its ',
    'territory in accordance with relevant international law."',
  ),
  h(2, 'annex-b-objectives', 'Objectives'),
  p(
    ids.annexBObjectives,
    'The overall objective of the Sub-working Group on Article 9 is to develop a shared understanding of the ',
    'measures that States Parties take to regulate the transit and trans-shipment of conventional arms through ',
    'their territory, and of the circumstances in which such regulation is considered "necessary and ',
    'feasible". The work aims to assist States Parties, in particular those whose territory includes major ',
    'transport hubs or is crossed by land routes to landlocked States, in designing measures that are ',
    'proportionate to the risks they face and compatible with their obligations under international law.',
  ),
  p('b-specific-objectives', 'The specific objectives of the sub-working group are:'),
  bullets(
    'b-specific-objectives-list',
    'to clarify the key terms of Article 9, including "transit", "trans-shipment", "under its jurisdiction" and "through its territory", without prejudice to national definitions;',
    'to identify the legal and administrative arrangements used by States Parties, from general customs controls to specific authorisation or notification requirements;',
    'to examine the relationship between Article 9 and the other provisions of the Treaty that concern transit and trans-shipment, in particular Articles 7(6), 11(1), 11(3) and 12(2);',
    'to identify practical measures for cooperation among exporting, transit and trans-shipment, and importing States.',
  ),
  p(
    'b-context',
    'The initial reports submitted by States Parties show a wide diversity of approaches to transit and ',
    'trans-shipment. Some States Parties require an authorisation for every transit of conventional arms ',
    'through their territory; others require prior notification, apply controls only to certain modes of ',
    'transport or to shipments entering their customs territory, or rely on general customs and security ',
    'legislation. The sub-working group will not seek to identify a single model, but to help each State ',
    'Party determine what is necessary and feasible in its own circumstances.',
  ),
  h(2, 'annex-b-first-series', 'Activities for the first series of meetings (CSP7)'),
  p(
    ids.annexBFirstSeries,
    'During the first series of meetings, the sub-working group will conclude its discussion of the key terms ',
    'and concepts of Article 9 and of "relevant international law" within the meaning of that article. The ',
    'discussion will address, among other things, the distinction between transit and trans-shipment, the ',
    'treatment of arms that remain on board a vessel or aircraft, and the bearing on Article 9 of the law of ',
    'the sea, including the rights of innocent passage and transit passage, and of the law of international ',
    'civil aviation.',
  ),
  p('b-first-series-questions', 'The guiding questions for the first series would include the following:'),
  bullets(
    'b-first-series-questions-list',
    'Does national legislation distinguish between transit and trans-shipment, and with what consequences for the controls applied?',
    'Are arms that do not leave the vessel, aircraft or vehicle subject to any control, and on what legal basis?',
    'How do national authorities learn that a shipment of conventional arms will pass through their territory?',
    'Which authority decides whether a transit may proceed, and within what time limit?',
  ),
  p(
    'b-first-series-presentations',
    'The facilitator intends to invite presentations from States Parties with different geographical ',
    'situations, including a State Party with a major seaport or airport hub and a State Party through which ',
    'arms are transported by land to a neighbouring landlocked State, as well as from the World Customs ',
    'Organization on customs procedures applicable to goods in transit. Representatives of the transport and ',
    'logistics industry may be invited to describe the information available to carriers and freight ',
    'forwarders at each stage of a journey.',
  ),
  p(
    'b-first-series-mapping',
    'To support the discussion, the Secretariat is requested to prepare, before the first session of the ',
    'series, an overview of the information on transit and trans-shipment controls contained in the initial ',
    'reports, indicating for each type of measure the number of States Parties that report applying it, ',
    'without identifying individual States Parties.',
  ),
  p(
    'b-modes',
    'The first series will also compare the controls applied to each mode of transport. For air transport, ',
    'the discussion will distinguish overflight from landing and from the transfer of cargo between aircraft; ',
    'for maritime transport, port calls with and without the unloading of cargo; and for land transport, ',
    'road and rail transit across one or several States. In each case, the sub-working group will identify ',
    'the transport documents, such as cargo manifests, bills of lading and air waybills, from which national ',
    'authorities can learn that conventional arms are on board.',
  ),
  h(2, 'annex-b-second-series', 'Activities for the second series of meetings (CSP8)'),
  p(
    ids.annexBSecondSeries,
    'During the second series of meetings, the sub-working group will address the practical implementation ',
    'of transit and trans-shipment controls: the design of authorisation and notification procedures; the risk ',
    'indicators used to select shipments for inspection; the powers of customs and other authorities to ',
    'inspect, detain or seize shipments in transit; and the handling of shipments that arrive without the ',
    'required authorisation or documentation. The discussion will draw on the overview prepared by the ',
    'Secretariat and on the outcome of the first series.',
  ),
  p(
    'b-free-zones',
    'The sub-working group will give specific attention to free zones and other areas in which goods may be ',
    'stored, repackaged or transferred between means of transport without entering the customs territory of ',
    'the State concerned. It will examine how States Parties ensure that such areas do not become points at ',
    'which the documentation accompanying a shipment is altered or the shipment is redirected to an ',
    'unauthorised destination.',
  ),
  p(
    'b-information',
    'The sub-working group will also discuss the exchange of information among the States involved in a ',
    'transfer: the information that exporting States provide to transit and trans-shipment States Parties ',
    'under Article 7(6); the use of the national points of contact designated under Article 5(6); and the ',
    'arrangements through which a transit State can verify, before a shipment arrives, that it has been ',
    'authorised by the exporting State and accepted by the importing State.',
  ),
  p(
    'b-records',
    'The second series will include a short exchange on the records that States Parties are encouraged, under ',
    'Article 12(2), to keep of conventional arms authorised to transit or trans-ship territory under their ',
    'jurisdiction, and on the use made of such records when a shipment is later suspected of having been ',
    'diverted.',
  ),
  p(
    'b-capacity',
    'On the basis of these discussions, the sub-working group will identify the assistance needs most ',
    'frequently expressed by States Parties in relation to transit and trans-shipment, such as the training of ',
    'customs officers in the identification of conventional arms, access to risk-management tools, and ',
    'support for drafting legislation. A summary of these needs will be made available to States Parties and ',
    'organisations in a position to provide assistance, and to the selection committee of the ATT Voluntary ',
    'Trust Fund.',
  ),
  p(
    'b-exercise',
    'Subject to the format of the meetings, the second series may include a tabletop exercise, prepared with ',
    'the assistance of the World Customs Organization, in which participants follow a fictitious shipment of ',
    'conventional arms from its loading in the exporting State to its arrival in the importing State through ',
    'two transit or trans-shipment points, identifying at each step the information available and the ',
    'decisions to be taken.',
  ),
  h(2, 'annex-b-outputs', 'Outputs and timeline'),
  p('b-outputs', 'The sub-working group aims to produce the following outputs:'),
  bullets(
    'b-outputs-list',
    'by CSP7: a paper on the key terms and concepts of Article 9, including a glossary of terms used by States Parties, without prejudice to national definitions;',
    'by CSP8: a compilation of national practice on transit and trans-shipment controls, including measures applied in free zones, and a summary of assistance needs;',
    'by CSP9: elements for a voluntary guide on the implementation of Article 9, for consideration by the Conference.',
  ),
  p(
    'b-timeline',
    'The indicative timeline assumes two sessions in each series. The paper on key terms and concepts is ',
    'expected to be concluded at the second session of the first series, so that it can inform both the ',
    'practical discussions of the second series and the work of the Sub-working Group on Article 11 on the ',
    'second stage of the transfer chain.',
  ),
  p(
    'b-coordination',
    'The facilitators of the Sub-working Groups on Article 9 and on Article 11 will consult before each ',
    'session on the topics that both sub-working groups intend to address. Where the topics coincide, in ',
    'particular with regard to the role of transit and trans-shipment States in preventing diversion, the ',
    'Chair may convene a joint session of the two sub-working groups, in which case the time allocated to ',
    'each of them will be adjusted accordingly.',
  ),
  p(
    'b-dependencies',
    'The practical discussions foreseen for the second series, and in particular the presentations by customs ',
    'and port authorities, would benefit considerably from in-person meetings. Should the second series take ',
    'place virtually or in writing, the facilitator may propose to defer part of these discussions to the ',
    'CSP9 cycle rather than to reduce their scope.',
  ),
]

const annexC: TipTapNode[] = [
  h(1, 'annex-c', 'Annex C. Multi-year workplan of the Sub-working Group on Article 11 (Diversion)', 'C'),
  quote(
    'c-article-11',
    italic('Article 11(1): '),
    '"Each State Party involved in the transfer of conventional arms covered under Article 2 (1) shall take ',
    'measures to prevent their diversion."',
  ),
  h(2, 'annex-c-objectives', 'Objectives'),
  p(
    ids.annexCObjectives,
    'The overall objective of the Sub-working Group on Article 11 is to strengthen the capacity of States ',
    'Parties to prevent, detect and address the diversion of conventional arms, by exchanging practical ',
    'experience on the measures taken at each point of the transfer chain. The sub-working group will build on ',
    'the document "Possible measures to prevent and address diversion", endorsed by the Fourth Conference of ',
    'States Parties in 2018, and on the general lessons that participants in the Diversion Information ',
    'Exchange Forum choose to share.',
  ),
  p('c-specific-objectives', 'The specific objectives of the sub-working group are:'),
  bullets(
    'c-specific-objectives-list',
    'to identify, for each stage of the transfer chain, the measures that States Parties have found effective in preventing diversion and the obstacles they have encountered;',
    'to clarify the respective roles of exporting, transit and trans-shipment, and importing States Parties, and the forms of cooperation among them envisaged in Article 11(3);',
    'to examine the measures taken when diversion is detected, in accordance with Article 11(4);',
    'to prepare elements for a possible Voluntary Guide to Implementing Article 11.',
  ),
  p(
    'c-stage-approach',
    'To structure its work, the sub-working group will follow a shipment along the transfer chain, which is ',
    'divided for this purpose into three stages: before or at export (Stage 1); transit and trans-shipment ',
    '(Stage 2); and at or after importation, including the period after delivery (Stage 3). Measures that ',
    'apply to all stages, such as the detection of diversion, the response to it and the exchange of ',
    'information, are addressed as cross-cutting issues. This organisation is adopted for convenience of ',
    'discussion only and does not imply any allocation of responsibility among the States involved in a ',
    'transfer.',
  ),
  p(
    'c-working-understanding',
    'The Treaty does not define diversion, and the sub-working group does not intend to propose a ',
    'definition. For the purposes of its discussions, it will proceed on the working understanding that ',
    'diversion includes the transfer of conventional arms to an end user, or for an end use, other than the ',
    'one authorised, while recognising that States Parties may apply broader or narrower understandings in ',
    'their national systems.',
  ),
  h(2, 'annex-c-stage-1', 'Stage 1: Before or at export'),
  p(
    ids.stage1,
    'The first stage concerns the measures taken by the exporting State before and at the time of export. In ',
    'accordance with Article 11(2), the sub-working group will exchange practice on the assessment of the risk ',
    'of diversion of the export and on the consideration of mitigation measures, including examining the ',
    'parties involved in the export, requiring additional documentation, certificates or assurances, and not ',
    'authorising the export where the risk cannot be mitigated. The discussion will be coordinated with the ',
    'work of the Sub-working Group on Articles 6 and 7 on the export assessment, in accordance with Annex A.',
  ),
  p(
    'c-stage-1-documentation',
    'Particular attention will be given to end-use and end-user documentation: the information that such ',
    'documentation should contain, the authorities competent to issue it in the importing State, the means ',
    'used by exporting States to verify its authenticity, and the use of clauses prohibiting re-export without ',
    'the prior consent of the exporting State. Delegations are invited to share examples of forged or altered ',
    'documentation that their authorities have detected, in a form that does not identify the cases concerned.',
  ),
  p(
    'c-stage-1-indicators',
    'The sub-working group will also seek to compile the indicators of diversion risk that national ',
    'authorities use at this stage. Guiding questions would include the following:',
  ),
  bullets(
    'c-stage-1-indicators-list',
    'Which features of a transaction, such as the involvement of brokers or intermediate consignees, unusual routing or payment arrangements, or quantities inconsistent with the stated end use, lead authorities to examine an application more closely?',
    'How is information on the previous conduct of the end user and of the importing State taken into account?',
    'Which national authorities and which foreign counterparts are consulted, and through which channels?',
  ),
  p(
    'c-stage-1-at-export',
    'Finally, the first stage includes the controls applied at the moment of export itself: the verification ',
    'by customs that the goods exported correspond to the authorisation, the documentation that accompanies ',
    'the shipment, and the notification of the export to the importing State or to transit and trans-shipment ',
    'States where national practice provides for it.',
  ),
  h(2, 'annex-c-stage-2', 'Stage 2: Transit and trans-shipment'),
  p(
    ids.stage2,
    'The second stage concerns the period during which a shipment is in transit or is trans-shipped on its ',
    'way to the importing State. The sub-working group will discuss the role of transit and trans-shipment ',
    'States in preventing diversion, the risks that arise when a shipment changes carrier or means of ',
    'transport or is held in storage, and the cooperation envisaged in Article 11(3) among the States involved ',
    'in the transfer. This discussion will follow the consideration of Stage 1 and will take into account the ',
    'outcome of the work of the Sub-working Group on Article 9 on key terms and concepts; it may be held in a ',
    'joint session with that sub-working group.',
  ),
  p(
    'c-stage-2-topics',
    'Topics for discussion would include unscheduled stops and changes of route or carrier; discrepancies ',
    'between the transport documents and the authorisation; the information that transit and trans-shipment ',
    'States need to receive from exporting States in order to identify and, where necessary, inspect a ',
    'shipment; and the action to be taken when a shipment in transit is suspected of being diverted, including ',
    'the notification of the exporting and importing States.',
  ),
  p(
    'c-stage-2-private-actors',
    'The sub-working group will also consider the role of private actors at this stage, such as carriers, ',
    'freight forwarders, shipping agents and port and airport operators, who often hold the most accurate ',
    'information on the actual route and handling of a shipment. The discussion will examine how States ',
    'Parties obtain timely access to that information, and which obligations, if any, their national law ',
    'places on such actors when they carry or handle conventional arms.',
  ),
  p('c-stage-2-questions', 'Guiding questions for this stage would include the following:'),
  bullets(
    'c-stage-2-questions-list',
    'At which points during transit or trans-shipment have attempts at diversion been detected, and by which authority?',
    'Does the exporting State inform transit and trans-shipment States of an authorised export, and does this information reach the authorities at the point of entry?',
    'What legal powers do transit States have to detain a shipment pending verification with the exporting State?',
  ),
  h(2, 'annex-c-stage-3', 'Stage 3: At or after importation / post-delivery'),
  p(
    ids.stage3,
    'The third stage concerns the measures taken when a shipment arrives in the importing State and after it ',
    'has been delivered to the end user. The sub-working group will exchange practice on import controls ',
    'applied at the point of entry; on the physical security and stockpile management measures that reduce ',
    'the risk of loss or theft after delivery; on the marking and record-keeping that allow arms to be traced; ',
    'and on post-shipment on-site verification by the exporting State with the consent of the importing State.',
  ),
  p(
    'c-stage-3-import',
    'With regard to import controls, the discussion will cover the measures that importing States Parties take ',
    'under Article 8 to provide information to the exporting State, the verification of consignments on ',
    'arrival against the import documentation, and the custody of arms between their arrival and their ',
    'delivery to the end user. Importing States are particularly encouraged to present their practice, as the ',
    'discussions of the sub-working group have so far drawn mainly on the experience of exporting States.',
  ),
  p(
    'c-stage-3-post-shipment',
    'With regard to post-shipment on-site verification, the sub-working group will examine the practice of ',
    'the exporting States that conduct such verification, the experience of the importing States that have ',
    'received verification visits, the arrangements agreed before the export to allow them, and the ',
    'considerations of sovereignty, confidentiality and cost that such verification raises. The aim is to ',
    'identify practices that importing and exporting States alike regard as useful and acceptable.',
  ),
  p(
    'c-stage-3-stockpiles',
    'With regard to stockpile management, the sub-working group will draw on existing international guidance, ',
    'such as the Modular Small-arms-control Implementation Compendium and the International Ammunition ',
    'Technical Guidelines, and will focus on the measures most relevant to the prevention of diversion from ',
    'national stockpiles, including inventory management, the disposal of surplus arms and the investigation ',
    'of losses.',
  ),
  p(
    'c-stage-3-tracing',
    'Information on diversion at this stage often comes to light only when arms are recovered, sometimes ',
    'years after delivery, in conflict zones or on illicit markets. The sub-working group will therefore ',
    'exchange experience on the use of tracing requests, including those made under the International Tracing ',
    'Instrument, to establish the point at which recovered arms left the authorised chain of custody, and on ',
    'the use made of the results in subsequent export assessments.',
  ),
  h(2, 'annex-c-cross-cutting', 'Cross-cutting: detection, response and information exchange'),
  p(
    ids.crossCutting,
    'Throughout the transfer chain, the sub-working group will consider the measures taken by States Parties ',
    'in accordance with Article 11(4) when diversion is detected: alerting potentially affected States ',
    'Parties; examining diverted shipments of conventional arms; and following up through investigation and ',
    'law enforcement. It will exchange experience on the tracing of diverted arms, on cooperation among ',
    'licensing, customs, law-enforcement and intelligence authorities, and on the consequences that a detected ',
    'diversion has for subsequent export assessments.',
  ),
  p(
    ids.dief,
    'The sub-working group and the Diversion Information Exchange Forum serve complementary purposes. The ',
    'Forum allows States Parties and signatory States to exchange, in confidence, operational information on ',
    'concrete cases of suspected or detected diversion; the sub-working group addresses policy and practice in ',
    'general terms, in a more open format. The facilitator will not seek information on specific cases, but ',
    'the sub-working group may consider general lessons that participants in the Forum choose to share.',
  ),
  p(
    'c-reporting',
    'The sub-working group will also consider how States Parties report on measures taken to address ',
    'diversion, under Article 11(6) and Article 13(2), and how the information reported could be made more ',
    'useful to other States Parties. This discussion will be held in coordination with the WGTR, which is ',
    'responsible for the reporting templates.',
  ),
  p(
    'c-assistance',
    'Finally, the sub-working group will identify the assistance needs of States Parties in preventing and ',
    'addressing diversion, including in stockpile management, border and customs controls and the ',
    'verification of end-user documentation, and the ways in which such needs can be addressed through ',
    'international cooperation and assistance under Articles 15 and 16, including projects supported by the ',
    'ATT Voluntary Trust Fund.',
  ),
  h(2, 'annex-c-timeline', 'Timeline and outputs'),
  p(
    ids.timeline,
    'The indicative allocation of the stages to the series of meetings is set out in the table below. As ',
    'provided in Part I, the allocation will be reviewed at the end of each series and may be adjusted in the ',
    'light of progress, of the format of the meetings and of the work of the Sub-working Group on Article 9.',
  ),
  table(
    'c-timeline-table',
    ['Stage', 'First series of meetings (CSP7)', 'Second series of meetings (CSP8)'],
    [
      [
        'stage-1',
        [
          'Stage 1: before or at export',
          'Diversion risk assessment; end-use and end-user documentation; risk indicators',
          'Follow-up on the compilation of practice; review of draft elements',
        ],
      ],
      [
        'stage-2',
        [
          'Stage 2: transit and trans-shipment',
          'Role of transit and trans-shipment States, following Stage 1, time permitting',
          'Role of transit and trans-shipment States (continued, as necessary); possible joint session with the Sub-working Group on Article 9',
        ],
      ],
      [
        'stage-3',
        [
          'Stage 3: at or after importation / post-delivery',
          'Not scheduled',
          'Import controls; post-shipment on-site verification; stockpile management',
        ],
      ],
      [
        'cross-cutting',
        [
          'Cross-cutting: detection, response and information exchange',
          'Introduction; briefing on the Diversion Information Exchange Forum',
          'Detection and response under Article 11(4); reporting under Articles 11(6) and 13(2)',
        ],
      ],
    ],
  ),
  p('c-outputs', 'The sub-working group aims to produce the following outputs:'),
  bullets(
    'c-outputs-list',
    "by CSP7: a facilitator's summary of practice at Stage 1, including a list of the diversion risk indicators used by national authorities;",
    'by CSP8: a compilation of practice at Stages 2 and 3 and on the cross-cutting issues, including post-shipment on-site verification;',
    'by CSP9: elements for a possible Voluntary Guide to Implementing Article 11, for consideration by the Conference.',
  ),
  p(
    'c-review',
    'At the end of the CSP9 cycle, the sub-working group will review whether the organisation of its work by ',
    'stage has served its purpose and will advise the Chair on whether the discussions should continue on the ',
    'same basis, be reorganised by theme, or be concluded with the submission of the elements of a voluntary ',
    'guide.',
  ),
]

/** The demo draft as TipTap JSON: header block, Part I and Annexes A to C. */
export const demoWorkplan: TipTapDoc = {
  type: 'doc',
  content: [...headerBlock, ...partOne, ...annexA, ...annexB, ...annexC],
}
