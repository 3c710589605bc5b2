// Sizes of files the way people read them, in the UI language.

import { formatNumber, t } from './i18n.js';

/** @param {number} n  bytes */
export function sizeText(n) {
  if (n < 1024) return t('size_bytes', formatNumber(n));
  if (n < 1024 * 1024) return t('size_kb', formatNumber(n / 1024, { maximumFractionDigits: 0 }));
  if (n < 1024 ** 3) return t('size_mb', formatNumber(n / 1024 ** 2, { maximumFractionDigits: 1 }));
  return t('size_gb', formatNumber(n / 1024 ** 3, { maximumFractionDigits: 1 }));
}
