// Numbers and lists as the screen's language writes them.
import type { MenuItem } from '#protocol/menu';
import { currentLocale, formatNumber, LOCALES, t } from '../../../i18n';

/** An item's energy as its label and the nutrition table say it: "340 kcal · 1,423 kJ". */
export const sayEnergy = (energy: NonNullable<MenuItem['energy']>): string => t('browse.kcalKj', { kcal: formatNumber(energy.kcal), kj: formatNumber(energy.kj) });

/** "Size and Milk", "الحجم والحليب", "Taille et Lait". */
export const sayList = (items: readonly string[]): string => new Intl.ListFormat(LOCALES[currentLocale()].intl, { type: 'conjunction' }).format(items);
