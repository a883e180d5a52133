/** Start-up work on the store: the built-in secretariat participant of PLENARY_ADMIN_TOKEN. */
import { hashSecret } from './auth/tokens.ts'
import type { Store } from './storage/Store.ts'

export const ADMIN_PARTICIPANT_ID = 'admin'

export async function ensureAdmin(store: Store, adminToken: string | undefined): Promise<void> {
  if (!adminToken) return
  const tokenHash = hashSecret(adminToken)
  const existing = await store.getParticipant(ADMIN_PARTICIPANT_ID)
  if (existing) {
    await store.updateParticipant(ADMIN_PARTICIPANT_ID, { tokenHash, role: 'secretariat', revoked: false })
    return
  }
  try {
    await store.createParticipant({
      id: ADMIN_PARTICIPANT_ID,
      name: 'Secretariat administrator',
      organisation: 'Secretariat',
      organisationKind: 'secretariat',
      role: 'secretariat',
      tokenHash,
    })
  } catch (error) {
    // Several instances starting at once on one database: another one created it just now.
    if (!(error instanceof Error && error.name === 'StoreConflictError')) throw error
    await store.updateParticipant(ADMIN_PARTICIPANT_ID, { tokenHash, role: 'secretariat', revoked: false })
  }
}
