// The receipt page's words, in the languages a kiosk serves customers in. A receipt is written in
// the language its customer ordered in; a page for no order yet (or no receipt) in the language the
// phone asks for. Anything else is English.
import Negotiator from 'negotiator';

export interface ReceiptMessages {
  dir: 'ltr' | 'rtl';
  receipt: string;
  yourNumber: string;
  items: string;
  quantity: string;
  item: string;
  amount: string;
  eatIn: string;
  takeaway: string;
  table: (table: string) => string;
  subtotal: string;
  taxIncluded: string;
  taxAdded: string;
  total: string;
  payment: string;
  card: string;
  reference: string;
  counterPaid: string;
  counterUnpaid: string;
  counterHeld: string;
  paidAt: (time: string) => string;
  thanks: string;
  waitingTitle: string;
  waiting: string;
  notFoundTitle: string;
  notFound: string;
  busyTitle: string;
  busy: string;
}

const en: ReceiptMessages = {
  dir: 'ltr',
  receipt: 'Receipt',
  yourNumber: 'Your order number',
  items: 'What you ordered',
  quantity: 'Quantity',
  item: 'Item',
  amount: 'Amount',
  eatIn: 'Eat in',
  takeaway: 'Takeaway',
  table: (table) => `Table ${table}`,
  subtotal: 'Subtotal',
  taxIncluded: 'Tax included',
  taxAdded: 'Tax',
  total: 'Total',
  payment: 'Payment',
  card: 'Paid by card',
  reference: 'Reference:',
  counterPaid: 'Paid at the counter',
  counterUnpaid: 'Not paid yet: please pay at the counter.',
  counterHeld: 'Not paid yet: please pay at the counter. Your order is made once you have paid.',
  paidAt: (time) => `Paid ${time}`,
  thanks: 'Thank you!',
  waitingTitle: 'Your receipt is on its way',
  waiting: "Your receipt will appear here when the store's kiosk has sent it. This page checks again by itself.",
  notFoundTitle: 'No receipt here',
  notFound: 'This link does not open a receipt. Check that the whole code was scanned, or ask at the counter.',
  busyTitle: 'Please wait a moment',
  busy: 'Too many pages were asked for from this network. Try again in a minute.',
};

const ar: ReceiptMessages = {
  dir: 'rtl',
  receipt: 'الإيصال',
  yourNumber: 'رقم طلبك',
  items: 'ما طلبته',
  quantity: 'الكمية',
  item: 'الصنف',
  amount: 'المبلغ',
  eatIn: 'تناول في المطعم',
  takeaway: 'طلب خارجي',
  table: (table) => `الطاولة ${table}`,
  subtotal: 'المجموع الفرعي',
  taxIncluded: 'الضريبة مشمولة',
  taxAdded: 'الضريبة',
  total: 'الإجمالي',
  payment: 'الدفع',
  card: 'مدفوع بالبطاقة',
  reference: 'المرجع:',
  counterPaid: 'مدفوع عند الكاشير',
  counterUnpaid: 'لم يُدفع بعد: يُرجى الدفع عند الكاشير.',
  counterHeld: 'لم يُدفع بعد: يُرجى الدفع عند الكاشير. يُحضَّر طلبك بعد الدفع.',
  paidAt: (time) => `دُفع في ${time}`,
  thanks: 'شكرًا لك!',
  waitingTitle: 'إيصالك في الطريق',
  waiting: 'سيظهر إيصالك هنا عندما يرسله كشك المتجر. تتحقق هذه الصفحة من ذلك تلقائيًا.',
  notFoundTitle: 'لا يوجد إيصال هنا',
  notFound: 'هذا الرابط لا يفتح إيصالًا. تأكد من مسح الرمز بالكامل، أو اسأل عند الكاشير.',
  busyTitle: 'يُرجى الانتظار قليلًا',
  busy: 'طُلبت صفحات كثيرة جدًا من هذه الشبكة. حاول مرة أخرى بعد دقيقة.',
};

const fr: ReceiptMessages = {
  dir: 'ltr',
  receipt: 'Reçu',
  yourNumber: 'Votre numéro de commande',
  items: 'Votre commande',
  quantity: 'Quantité',
  item: 'Article',
  amount: 'Montant',
  eatIn: 'Sur place',
  takeaway: 'À emporter',
  table: (table) => `Table ${table}`,
  subtotal: 'Sous-total',
  taxIncluded: 'TVA incluse',
  taxAdded: 'TVA',
  total: 'Total',
  payment: 'Paiement',
  card: 'Payé par carte',
  reference: 'Référence :',
  counterPaid: 'Payé au comptoir',
  counterUnpaid: 'Pas encore payé : merci de régler au comptoir.',
  counterHeld: 'Pas encore payé : merci de régler au comptoir. Votre commande est préparée dès que vous avez payé.',
  paidAt: (time) => `Payé le ${time}`,
  thanks: 'Merci !',
  waitingTitle: 'Votre reçu arrive',
  waiting: "Votre reçu s'affichera ici dès que la borne du restaurant l'aura envoyé. Cette page se met à jour toute seule.",
  notFoundTitle: 'Aucun reçu ici',
  notFound: "Ce lien n'ouvre aucun reçu. Vérifiez que tout le code a été scanné, ou demandez au comptoir.",
  busyTitle: 'Un instant, s’il vous plaît',
  busy: 'Trop de pages ont été demandées depuis ce réseau. Réessayez dans une minute.',
};

const TABLES: Record<string, ReceiptMessages> = { en, ar, fr };
export const RECEIPT_LOCALES = Object.keys(TABLES);

/** The locale the page is written in for `wanted` (`fr`, `fr-BE`, `pt-BR`), and its words. */
export function receiptLocale(wanted: string | null | undefined): { locale: string; messages: ReceiptMessages } {
  const language = wanted?.split('-')[0]?.toLowerCase() ?? '';
  const locale = language in TABLES ? language : 'en';
  return { locale, messages: TABLES[locale]! };
}

/** The first of the phone's languages (its Accept-Language header) the page is written in. */
export function preferredLocale(acceptLanguage: string | undefined): string {
  return new Negotiator({ headers: { 'accept-language': acceptLanguage ?? '' } }).language(RECEIPT_LOCALES) ?? 'en';
}
