// Head office's roles in words: "Owner", "Menu editor", "Store manager of Centraal, Utrecht".
import { useI18n } from 'vue-i18n';
import type { AdminRole } from './api';

/** Every role, in the order a form offers them: the least power first. */
export const ROLES: readonly AdminRole[] = ['manager', 'editor', 'owner'];

export function useRoleWords() {
  const { t } = useI18n();
  return (role: AdminRole, storeNames: readonly string[] = []) =>
    role === 'manager' && storeNames.length > 0 ? t('people.managerOf', { stores: storeNames.join(', ') }) : t(`people.roles.${role}`);
}
