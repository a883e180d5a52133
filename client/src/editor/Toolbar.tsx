import type { Editor } from '@tiptap/core'
import { type KeyboardEvent, useEffect, useState } from 'react'
import { strings } from '../strings.ts'
import {
  BulletListIcon,
  LinkIcon,
  OrderedListIcon,
  QuoteIcon,
  RedoIcon,
  TableIcon,
  UndoIcon,
  UnlinkIcon,
} from './icons.tsx'
import { LinkForm } from './LinkForm.tsx'
import { TextStyleSelect } from './TextStyleSelect.tsx'
import { ToolbarButton } from './ToolbarButton.tsx'
import { OPEN_LINK_FORM_EVENT } from './toolbarShortcut.ts'
import { useToolbarState } from './useToolbarState.ts'

const t = strings.toolbar

/** Arrow keys move between controls (ARIA toolbar pattern); Escape returns to the text. */
function onToolbarKeyDown(event: KeyboardEvent<HTMLDivElement>, editor: Editor): void {
  if (event.key === 'Escape') {
    event.preventDefault()
    editor.commands.focus()
    return
  }
  if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return
  // Up and Down still change the text style; Left and Right always move along the toolbar.
  if ((event.target as HTMLElement).tagName === 'SELECT' && (event.key === 'Home' || event.key === 'End'))
    return
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>('button:not(:disabled), select')]
  const index = controls.indexOf(document.activeElement as HTMLElement)
  if (index === -1) return
  event.preventDefault()
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? controls.length - 1
        : (index + (event.key === 'ArrowRight' ? 1 : -1) + controls.length) % controls.length
  controls[next].focus()
}

export function Toolbar({ editor }: { editor: Editor }) {
  const state = useToolbarState(editor)
  const [linkFormOpen, setLinkFormOpen] = useState(false)
  const run = () => editor.chain().focus()

  useEffect(() => {
    const open = () => setLinkFormOpen(true)
    document.addEventListener(OPEN_LINK_FORM_EVENT, open)
    return () => document.removeEventListener(OPEN_LINK_FORM_EVENT, open)
  }, [])

  return (
    <div className="toolbar-area">
      <div
        className="toolbar"
        role="toolbar"
        aria-label={t.label}
        aria-describedby="toolbar-hint"
        data-editor-toolbar=""
        onKeyDown={(event) => onToolbarKeyDown(event, editor)}
      >
        <fieldset className="toolbar__group" aria-label={t.groupText}>
          <TextStyleSelect editor={editor} value={state.textStyle} />
          <ToolbarButton
            label={t.bold}
            keys="Mod+B"
            pressed={state.bold}
            onClick={() => run().toggleBold().run()}
          >
            <span className="glyph glyph--bold">B</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.italic}
            keys="Mod+I"
            pressed={state.italic}
            onClick={() => run().toggleItalic().run()}
          >
            <span className="glyph glyph--italic">I</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.underline}
            keys="Mod+U"
            pressed={state.underline}
            onClick={() => run().toggleUnderline().run()}
          >
            <span className="glyph glyph--underline">U</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.strike}
            keys="Mod+Shift+S"
            pressed={state.strike}
            onClick={() => run().toggleStrike().run()}
          >
            <span className="glyph glyph--strike">S</span>
          </ToolbarButton>
        </fieldset>
        <fieldset className="toolbar__group" aria-label={t.groupLists}>
          <ToolbarButton
            label={t.bulletList}
            keys="Mod+Shift+8"
            pressed={state.bulletList}
            onClick={() => run().toggleBulletList().run()}
          >
            <BulletListIcon />
          </ToolbarButton>
          <ToolbarButton
            label={t.orderedList}
            keys="Mod+Shift+7"
            pressed={state.orderedList}
            onClick={() => run().toggleOrderedList().run()}
          >
            <OrderedListIcon />
          </ToolbarButton>
          <ToolbarButton
            label={t.blockquote}
            keys="Mod+Shift+B"
            pressed={state.blockquote}
            onClick={() => run().toggleBlockquote().run()}
          >
            <QuoteIcon />
          </ToolbarButton>
        </fieldset>
        <fieldset className="toolbar__group" aria-label={t.groupTable}>
          <ToolbarButton
            label={t.insertTable}
            disabled={state.inTable}
            onClick={() => run().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}
          >
            <TableIcon />
          </ToolbarButton>
          <ToolbarButton
            label={t.addRow}
            wide
            disabled={!state.inTable}
            onClick={() => run().addRowAfter().run()}
          >
            <span aria-hidden="true">{t.addRowShort}</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.removeRow}
            wide
            disabled={!state.inTable}
            onClick={() => run().deleteRow().run()}
          >
            <span aria-hidden="true">{t.removeRowShort}</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.addColumn}
            wide
            disabled={!state.inTable}
            onClick={() => run().addColumnAfter().run()}
          >
            <span aria-hidden="true">{t.addColumnShort}</span>
          </ToolbarButton>
          <ToolbarButton
            label={t.removeColumn}
            wide
            disabled={!state.inTable}
            onClick={() => run().deleteColumn().run()}
          >
            <span aria-hidden="true">{t.removeColumnShort}</span>
          </ToolbarButton>
        </fieldset>
        <fieldset className="toolbar__group" aria-label={t.groupLink}>
          <ToolbarButton
            label={t.link}
            keys="Mod+K"
            pressed={linkFormOpen}
            onClick={() => setLinkFormOpen(true)}
          >
            <LinkIcon />
          </ToolbarButton>
          <ToolbarButton
            label={t.removeLink}
            disabled={!state.link}
            onClick={() => run().extendMarkRange('link').unsetLink().run()}
          >
            <UnlinkIcon />
          </ToolbarButton>
        </fieldset>
        <fieldset className="toolbar__group" aria-label={t.groupHistory}>
          <ToolbarButton
            label={t.undo}
            keys="Mod+Z"
            disabled={!state.canUndo}
            onClick={() => run().undo().run()}
          >
            <UndoIcon />
          </ToolbarButton>
          <ToolbarButton
            label={t.redo}
            keys="Mod+Shift+Z"
            disabled={!state.canRedo}
            onClick={() => run().redo().run()}
          >
            <RedoIcon />
          </ToolbarButton>
        </fieldset>
        <span id="toolbar-hint" className="visually-hidden">
          {t.shortcutHint}
        </span>
      </div>
      {linkFormOpen && <LinkForm editor={editor} onClose={() => setLinkFormOpen(false)} />}
    </div>
  )
}
