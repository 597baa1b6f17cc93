// Who is signed in: found again after a reload (GET /api/me), started by signing in, ended by
// signing out or by the server.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, useCsrfToken, whenSignedOut, type CookieSession, type Me } from './api';

export const useSession = defineStore('session', () => {
  const me = ref<Me['user'] | null>(null);
  const checked = ref(false);
  const isOwner = computed(() => me.value?.role === 'owner');

  whenSignedOut(() => {
    me.value = null;
    useCsrfToken(null);
  });

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

  async function signIn(email: string, password: string): Promise<void> {
    const started = await api<CookieSession>('POST', '/sessions', { email, password, cookie: true });
    useCsrfToken(started.csrfToken);
    const found = await api<Me>('GET', '/me');
    me.value = found.user;
  }

  async function signOut(): Promise<void> {
    await api('DELETE', '/sessions').catch(() => undefined);
    me.value = null;
    useCsrfToken(null);
  }

  return { me, checked, isOwner, restore, signIn, signOut };
});
