import { describe, expect, it } from 'vitest'
import { type NumberingUnit, paragraphNumbers } from './numbering.ts'
import { seededRandom } from './seededRandom.ts'

// fast-check is a devDependency of the server only and does not resolve from shared/, so the
// property test below draws its cases from a small seeded generator instead (reproducible runs).

const heading = (numberPrefix: string | null = null): NumberingUnit => ({
  type: 'heading',
  topLevel: true,
  numberPrefix,
})
const para = (numbered = true): NumberingUnit => ({ type: 'paragraph', topLevel: true, numbered })
const nested = (type: string): NumberingUnit => ({ type, topLevel: false })

describe('paragraphNumbers', () => {
  it('numbers the paragraphs of Part I 1, 2, 3 after a heading with an empty prefix', () => {
    expect(paragraphNumbers([heading(''), para(), para(), para()])).toEqual([null, '1', '2', '3'])
  })

  it('restarts the count with the prefix of each annex heading', () => {
    const units = [heading(''), para(), para(), heading('A'), para(), para(), heading('B'), para()]
    expect(paragraphNumbers(units)).toEqual([null, '1', '2', null, 'A1', 'A2', null, 'B1'])
  })

  it('an empty prefix after an annex goes back to plain numbers starting at 1', () => {
    const units = [heading('A'), para(), heading(''), para(), para()]
    expect(paragraphNumbers(units)).toEqual([null, 'A1', null, '1', '2'])
  })

  it('sub-headings without a prefix keep the running count', () => {
    const units = [heading('C'), para(), heading(), para(), heading(null), para(), para()]
    expect(paragraphNumbers(units)).toEqual([null, 'C1', null, 'C2', null, 'C3', 'C4'])
  })

  it('skips paragraphs marked numbered: false without consuming a number', () => {
    const units = [heading(''), para(), para(false), para(), para(false), para()]
    expect(paragraphNumbers(units)).toEqual([null, '1', null, '2', null, '3'])
  })

  it('treats numbered: null or a missing flag as numbered', () => {
    const units: NumberingUnit[] = [
      { type: 'paragraph', topLevel: true },
      { type: 'paragraph', topLevel: true, numbered: null },
    ]
    expect(paragraphNumbers(units)).toEqual(['1', '2'])
  })

  it('gives no number to list items, table cells, quotes or nested paragraphs and headings', () => {
    const units: NumberingUnit[] = [
      para(),
      nested('listItem'),
      nested('tableCell'),
      nested('tableHeader'),
      nested('blockquote'),
      nested('paragraph'),
      para(),
    ]
    expect(paragraphNumbers(units)).toEqual(['1', null, null, null, null, null, '2'])
  })

  it('a nested heading with a prefix does not restart the count', () => {
    const units: NumberingUnit[] = [
      heading('A'),
      para(),
      { type: 'heading', topLevel: false, numberPrefix: 'Z' },
      para(),
    ]
    expect(paragraphNumbers(units)).toEqual([null, 'A1', null, 'A2'])
  })

  it('numbers paragraphs before any heading 1, 2, …', () => {
    expect(paragraphNumbers([para(), para(), heading('A'), para()])).toEqual(['1', '2', null, 'A1'])
  })

  it('numbers nothing in an empty document', () => {
    expect(paragraphNumbers([])).toEqual([])
  })
})

// ---------------------------------------------------------------- property

const rng = seededRandom

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]

function randomUnits(random: () => number): NumberingUnit[] {
  const length = Math.floor(random() * 40)
  const units: NumberingUnit[] = []
  for (let i = 0; i < length; i++) {
    const type = pick(random, ['paragraph', 'paragraph', 'paragraph', 'heading', 'listItem', 'tableCell'])
    const topLevel = type === 'paragraph' || type === 'heading' ? random() < 0.8 : false
    units.push({
      type,
      topLevel,
      numbered: pick(random, [true, true, false, null, undefined]),
      numberPrefix: type === 'heading' ? pick(random, [null, null, '', 'A', 'B', 'Annex C-']) : undefined,
    })
  }
  return units
}

describe('paragraphNumbers (property, 500 seeded cases)', () => {
  const cases = Array.from({ length: 500 }, (_, seed) => ({ seed, units: randomUnits(rng(seed + 1)) }))

  it('numbers exactly the top-level paragraphs not marked numbered: false', () => {
    for (const { seed, units } of cases) {
      const numbers = paragraphNumbers(units)
      expect(numbers, `seed ${seed}`).toHaveLength(units.length)
      units.forEach((unit, i) => {
        const shouldNumber = unit.topLevel && unit.type === 'paragraph' && unit.numbered !== false
        expect(numbers[i] !== null, `seed ${seed}, unit ${i}`).toBe(shouldNumber)
      })
    }
  })

  it('within each prefix section the numbers run prefix1, prefix2, … without gaps', () => {
    let sectionsSeen = 0
    for (const { seed, units } of cases) {
      const numbers = paragraphNumbers(units)
      let prefix = ''
      let expected = 1
      units.forEach((unit, i) => {
        if (unit.topLevel && unit.type === 'heading' && typeof unit.numberPrefix === 'string') {
          prefix = unit.numberPrefix
          expected = 1
          sectionsSeen += 1
        }
        if (numbers[i] === null) return
        expect(numbers[i], `seed ${seed}, unit ${i}`).toBe(`${prefix}${expected}`)
        expected += 1
      })
    }
    // The generator really produces prefixed sections, so the check above is not vacuous.
    expect(sectionsSeen).toBeGreaterThan(100)
  })

  it('removing an unnumbered unit other than a prefixed heading never changes the other numbers', () => {
    for (const { seed, units } of cases) {
      const numbers = paragraphNumbers(units)
      units.forEach((unit, i) => {
        const opensSection = unit.topLevel && unit.type === 'heading' && typeof unit.numberPrefix === 'string'
        if (numbers[i] !== null || opensSection) return
        const without = paragraphNumbers(units.filter((_, j) => j !== i))
        expect(without, `seed ${seed}, without unit ${i}`).toEqual(numbers.filter((_, j) => j !== i))
      })
    }
  })
})
