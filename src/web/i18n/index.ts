import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const LANG_STORAGE_KEY = 'qibu.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGS],
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = storedLang();

/** The language now in use (what every API request sends as Accept-Language). */
export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Switches the language and remembers it across visits. */
export async function setLang(lang: Lang): Promise<void> {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

/** A `{ zh, en }` label (ROLE_LABELS, UNIT_KIND_LABELS, module labels) in the given language. */
export function pick(label: { zh: string; en: string }, lang: Lang): string {
  return lang === 'en' ? label.en : label.zh;
}

/** The current language, re-rendering on change. */
export function useLang(): Lang {
  const { i18n: inst } = useTranslation();
  return inst.language === 'en' ? 'en' : 'zh-CN';
}

export default i18n;
