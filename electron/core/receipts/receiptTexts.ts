// The words a receipt prints, in each language a kiosk customer can choose. A receipt is printed
// in the customer's language; menu names stay as the order copied them (the menu's default locale).

export const RECEIPT_LOCALES = ['en', 'ar', 'fr'] as const;
export type ReceiptLocale = (typeof RECEIPT_LOCALES)[number];

export interface ReceiptTexts {
  /** Arabic reads right to left: its labels are set against the right edge of the paper. */
  direction: 'ltr' | 'rtl';
  /** Above the big order number. */
  order: string;
  eatIn: string;
  takeaway: string;
  table: (table: string) => string;
  subtotal: string;
  /** Tax added to the prices (US style); `rate` is already formatted, e.g. "8.875%". */
  tax: (rate: string) => string;
  /** Tax already in the prices (EU style): the part of the total that is tax. */
  taxIncluded: (rate: string) => string;
  total: string;
  /** Followed by the masked card number, e.g. "•••• 4242". */
  paidByCard: string;
  /** Before the card terminal's reference, for a refund or a dispute. */
  reference: string;
  payAtCounterUnpaid: string;
  paidAtCounter: string;
  /** Above the QR code that opens the receipt page on the server. */
  scanForReceipt: string;
  thankYou: string;
}

const en: ReceiptTexts = {
  direction: 'ltr',
  order: 'Order',
  eatIn: 'Eat in',
  takeaway: 'Take away',
  table: (table) => `Table ${table}`,
  subtotal: 'Subtotal',
  tax: (rate) => `Tax ${rate}`,
  taxIncluded: (rate) => `incl. VAT ${rate}`,
  total: 'Total',
  paidByCard: 'Paid by card',
  reference: 'Ref.',
  payAtCounterUnpaid: 'Pay at the counter — unpaid',
  paidAtCounter: 'Paid at the counter',
  scanForReceipt: 'Scan for your receipt',
  thankYou: 'Thank you!',
};

const fr: ReceiptTexts = {
  direction: 'ltr',
  order: 'Commande',
  eatIn: 'Sur place',
  takeaway: 'À emporter',
  table: (table) => `Table ${table}`,
  subtotal: 'Sous-total',
  tax: (rate) => `Taxe ${rate}`,
  taxIncluded: (rate) => `dont TVA ${rate}`,
  total: 'Total',
  paidByCard: 'Payé par carte',
  reference: 'Réf.',
  payAtCounterUnpaid: 'À payer au comptoir — non payée',
  paidAtCounter: 'Payée au comptoir',
  scanForReceipt: 'Scannez pour retrouver votre reçu',
  thankYou: 'Merci de votre visite !',
};

const ar: ReceiptTexts = {
  direction: 'rtl',
  order: 'رقم الطلب',
  eatIn: 'تناول الطعام هنا',
  takeaway: 'سفري',
  table: (table) => `طاولة ${table}`,
  subtotal: 'المجموع الفرعي',
  tax: (rate) => `الضريبة ${rate}`,
  taxIncluded: (rate) => `شامل ضريبة القيمة المضافة ${rate}`,
  total: 'الإجمالي',
  paidByCard: 'مدفوع بالبطاقة',
  reference: 'المرجع',
  payAtCounterUnpaid: 'ادفع عند الصندوق — غير مدفوع',
  paidAtCounter: 'مدفوع عند الصندوق',
  scanForReceipt: 'امسح الرمز للحصول على إيصالك',
  thankYou: 'شكرًا لزيارتكم!',
};

export const RECEIPT_TEXTS: Record<ReceiptLocale, ReceiptTexts> = { en, ar, fr };

/** The receipt language for an order's locale: `fr-CA` prints French; a language we lack, English. */
export function receiptLocale(locale: string | undefined): ReceiptLocale {
  const language = locale?.split('-')[0];
  return RECEIPT_LOCALES.find((l) => l === language) ?? 'en';
}
