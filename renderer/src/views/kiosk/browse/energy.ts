import type { MenuItem } from '#protocol/menu';
import { formatNumber, t } from '../../../i18n';

/** An item's energy as its label and the nutrition table say it: "340 kcal · 1,423 kJ". */
export const sayEnergy = (energy: NonNullable<MenuItem['energy']>): string => t('browse.kcalKj', { kcal: formatNumber(energy.kcal), kj: formatNumber(energy.kj) });
