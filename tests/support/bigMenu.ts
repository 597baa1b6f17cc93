import { createHash } from 'node:crypto';
import { ALLERGENS, DIET_TAGS, MenuDocumentSchema, type MenuDocument } from '#protocol/menu';

/**
 * A chain's menu the size real ones are, the same on every call: `itemCount` items in 12
 * categories (two of them subcategories), in English, Arabic and French, with what head office
 * fills in — allergens, diet tags, energy, pictures, modifiers, store prices — and the texts that
 * trip spreadsheets up: commas, quotes, line breaks, and ones that start like a formula.
 */
export function bigMenu(itemCount = 300): { menu: MenuDocument; pictures: { id: string; fileName: string }[] } {
  const categories = [
    { id: 'burgers', en: 'Burgers', ar: 'برغر', fr: 'Burgers', noun: ['Burger', 'برغر', 'burger'] },
    { id: 'chicken-burgers', en: 'Chicken', ar: 'دجاج', fr: 'Poulet', noun: ['Chicken Burger', 'برغر دجاج', 'burger au poulet'], parentId: 'burgers' },
    { id: 'wraps', en: 'Wraps', ar: 'راب', fr: 'Wraps', noun: ['Wrap', 'راب', 'wrap'] },
    { id: 'salads', en: 'Salads', ar: 'سلطات', fr: 'Salades', noun: ['Salad', 'سلطة', 'salade'] },
    { id: 'sides', en: 'Sides', ar: 'أطباق جانبية', fr: 'Accompagnements', noun: ['Fries', 'بطاطس', 'frites'] },
    { id: 'desserts', en: 'Desserts', ar: 'حلويات', fr: 'Desserts', noun: ['Sundae', 'صنداي', 'sundae'] },
    { id: 'ice-cream', en: 'Ice cream', ar: 'آيس كريم', fr: 'Glaces', noun: ['Cone', 'كون', 'cornet'], parentId: 'desserts' },
    { id: 'hot-drinks', en: 'Hot drinks', ar: 'مشروبات ساخنة', fr: 'Boissons chaudes', noun: ['Latte', 'لاتيه', 'latte'] },
    { id: 'cold-drinks', en: 'Cold drinks', ar: 'مشروبات باردة', fr: 'Boissons fraîches', noun: ['Lemonade', 'ليموناضة', 'limonade'] },
    { id: 'breakfast', en: 'Breakfast', ar: 'فطور', fr: 'Petit-déjeuner', noun: ['Muffin', 'مافن', 'muffin'] },
    { id: 'kids', en: 'Kids', ar: 'أطفال', fr: 'Enfants', noun: ['Kids Meal', 'وجبة أطفال', 'menu enfant'] },
    { id: 'shakes', en: 'Shakes', ar: 'ميلك شيك', fr: 'Milk-shakes', noun: ['Shake', 'ميلك شيك', 'milk-shake'] },
  ];
  const adjectives = [
    ['Classic', 'كلاسيك', 'classique'],
    ['Spicy', 'حار', 'épicé'],
    ['Double', 'مزدوج', 'double'],
    ['Grilled', 'مشوي', 'grillé'],
    ['Crispy', 'مقرمش', 'croustillant'],
    ['Crème brûlée', 'كريم بروليه', 'crème brûlée'],
  ];
  // Texts a spreadsheet would mangle, or run: each must come back exactly as it was.
  const awkward = [
    { en: 'Beef, cheddar & pickles', fr: 'Bœuf, cheddar et cornichons ; sauce maison' },
    { en: 'Our "famous" sauce, since 1982', fr: 'Notre sauce « célèbre »' },
    { en: 'Two patties.\nOne bun.', fr: 'Deux steaks.\r\nUn pain.' },
    { en: '- no onions on request', fr: '-10 % le mardi' },
    { en: '+1 free refill', fr: '@home favourite' },
    { en: '=HYPERLINK("http://example.com","menu")', fr: "'=already quoted" },
  ];

  const pictures: { id: string; fileName: string }[] = [];
  const picture = (n: number) => createHash('sha256').update(`big-menu-picture-${n}`).digest('hex');
  for (let n = 0; n < 60; n++) pictures.push({ id: picture(n), fileName: `photo-${n}.jpg` });
  // Two uploads of different photos under one name: the sheet must name them by id.
  pictures.push({ id: picture(60), fileName: 'IMG_0001.jpg' }, { id: picture(61), fileName: 'IMG_0001.jpg' });
  const storeId = '0195f3c8-0000-7000-8000-00000000a001';

  const items = Array.from({ length: itemCount }, (_, i) => {
    const category = categories[i % categories.length]!;
    const k = Math.floor(i / categories.length);
    const [adjEn, adjAr, adjFr] = adjectives[k % adjectives.length]!;
    const series = Math.floor(k / adjectives.length);
    const number = series > 0 ? ` ${series + 1}` : '';
    const text = i % 17 === 0 ? awkward[(i / 17) % awkward.length] : undefined;
    const kcal = 80 + ((i * 53) % 900);
    const image = [undefined, picture(i % 62), picture(100 + i), 'menu/burger.svg'][i % 4];
    return {
      id: `${category.id}-${i + 1}`,
      categoryId: category.id,
      name: { en: `${adjEn} ${category.noun[0]}${number}`, ar: `${category.noun[1]} ${adjAr}${number}`, ...(i % 3 === 0 ? {} : { fr: `${category.noun[2]} ${adjFr}${number}` }) },
      description:
        i % 5 === 4
          ? {}
          : {
              en: text?.en ?? `Freshly made ${category.en.toLowerCase()}, number ${i + 1} on the board.`,
              ar: `طازج كل يوم، رقم ${i + 1} في القائمة.`,
              ...(text ? { fr: text.fr } : {}),
            },
      priceCents: 150 + ((i * 137) % 1850),
      ...(i % 7 === 0 ? { storePrices: { [storeId]: 250 + ((i * 137) % 1850) } } : {}),
      ...(image === undefined ? {} : { image }),
      modifierGroupIds: category.id.endsWith('drinks') || category.id === 'shakes' ? ['size'] : [],
      allergens: ALLERGENS.filter((_, a) => (i + a * 5) % 9 === 0),
      dietTags: DIET_TAGS.filter((_, d) => (i + d * 3) % 8 === 0),
      ...(i % 6 === 5 ? {} : { energy: { kcal, kj: Math.round(kcal * 4.184) } }),
      ...(i % 10 === 0 ? { nutrition: { fatG: 12, saturatesG: 4.5, carbohydrateG: 40, sugarsG: 8, proteinG: 20, saltG: 1.2 } } : {}),
      ...(i % 11 === 0 && i > 0 ? { upsellItemIds: ['sides-5'] } : {}),
      ...(category.id === 'breakfast' ? { daypartIds: ['breakfast'] } : {}),
      prepSeconds: 60 + (i % 5) * 30,
    };
  });

  const menu = MenuDocumentSchema.parse({
    format: 2,
    name: `Big menu (${itemCount} items)`,
    currency: 'EUR',
    defaultLocale: 'en',
    locales: ['en', 'ar', 'fr'],
    categories: categories.map((c) => ({ id: c.id, name: { en: c.en, ar: c.ar, fr: c.fr }, ...(c.parentId ? { parentId: c.parentId } : { stationId: 'grill' }) })),
    items,
    modifierGroups: [
      {
        id: 'size',
        name: { en: 'Size', ar: 'الحجم', fr: 'Taille' },
        minChoices: 1,
        maxChoices: 1,
        options: [
          { id: 'size-regular', name: { en: 'Regular', ar: 'عادي', fr: 'Normal' }, priceDeltaCents: 0, default: true },
          { id: 'size-large', name: { en: 'Large', ar: 'كبير', fr: 'Grand' }, priceDeltaCents: 80 },
        ],
      },
    ],
    stations: [{ id: 'grill', name: 'Grill' }],
    dayparts: [{ id: 'breakfast', name: { en: 'Breakfast', ar: 'فطور', fr: 'Petit-déjeuner' }, from: '06:00', until: '10:30' }],
  });
  return { menu, pictures };
}
