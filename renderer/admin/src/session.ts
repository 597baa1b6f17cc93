// Who is signed in: found again after a reload (GET /api/me), started by signing in or by
// accepting an invitation, ended by signing out (here or everywhere) or by the server. What the
// role may do decides which pages the app offers; the server decides it again for every call.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, useCsrfToken, whenSignedOut, type CookieSession, type Me } from './api';

export const useSession = defineStore('session', () => {
  const me = ref<Me['user'] | null>(null);
  const checked = ref(false);
  const isOwner = computed(() => me.value?.role === 'owner');
  /** Owners and store managers: stores' devices, pairing and sold-out boards. */
  const runsStores = computed(() => me.value?.role === 'owner' || me.value?.role === 'manager');
  /** Owners and menu editors: drafts, the menu editor, pictures. */
  const editsMenus = computed(() => me.value?.role === 'owner' || me.value?.role === 'editor');

  function forget(): void {
    me.value = null;
    useCsrfToken(null);
  }
  whenSignedOut(forget);

  /** Looks for a session this browser already has. */
  async function restore(): Promise<void> {
    if (checked.value) return;
    try {
      const found = await api<Me>('GET', '/me');
      me.value = found.user;
      useCsrfToken(found.csrfToken ?? null);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    } finally {
      checked.value = true;
    }
  }

  /** Takes up a session the server just started in this browser's cookie. */
  async function begin(started: CookieSession): Promise<void> {
    useCsrfToken(started.csrfToken);
    const found = await api<Me>('GET', '/me');
    me.value = found.user;
  }

  async function signIn(email: string, password: string): Promise<void> {
    await begin(await api<CookieSession>('POST', '/sessions', { email, password, cookie: true }));
  }

  /** Accepts an invitation with a password of one's own, which signs in. */
  async function acceptInvite(token: string, name: string, password: string): Promise<void> {
    await begin(await api<CookieSession>('POST', '/invites/accept', { token, name, password, cookie: true }));
  }

  async function signOut(): Promise<void> {
    await api('DELETE', '/sessions').catch(() => undefined);
    forget();
  }

  /** Ends every session of this account, this one too. */
  async function signOutEverywhere(): Promise<void> {
    await api('DELETE', '/me/sessions');
    forget();
  }

  return { me, checked, isOwner, runsStores, editsMenus, restore, signIn, acceptInvite, signOut, signOutEverywhere };
});
