// A picture for each allergen and diet tag, always shown beside its name (never alone): one a
// customer recognises at a glance, and no two alike.
import type { Component } from 'vue';
import {
  BadgeCheck,
  Bean,
  Droplet,
  Egg,
  Fish,
  Flame,
  Flower2,
  Hamburger,
  LeafyGreen,
  Milk,
  MilkOff,
  Nut,
  Salad,
  Shell,
  ShieldCheck,
  Shrimp,
  Sprout,
  Vegan,
  Wheat,
  WheatOff,
  Wine,
} from 'lucide-vue-next';
import type { Allergen, DietTag } from '#protocol/menu';

export const ALLERGEN_ICONS: Readonly<Record<Allergen, Component>> = {
  gluten: Wheat,
  crustaceans: Shrimp,
  eggs: Egg,
  fish: Fish,
  // A peanut is a pod of the bean family, a soybean a sprouting bean.
  peanuts: Bean,
  soybeans: Sprout,
  milk: Milk,
  nuts: Nut,
  celery: LeafyGreen,
  // A condiment, as mustard is served.
  mustard: Droplet,
  // Sesame is best known on a burger bun.
  sesame: Hamburger,
  // Sulphites keep wine.
  sulphites: Wine,
  lupin: Flower2,
  molluscs: Shell,
};

export const DIET_ICONS: Readonly<Record<DietTag, Component>> = {
  vegetarian: Salad,
  vegan: Vegan,
  // Certifications: a seal for each.
  halal: BadgeCheck,
  kosher: ShieldCheck,
  'gluten-free': WheatOff,
  'dairy-free': MilkOff,
  spicy: Flame,
};
