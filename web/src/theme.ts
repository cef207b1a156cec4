import { Store } from "./live/store.js";

export const themes = ["auto", "light", "dark", "retro"] as const;
export type Theme = (typeof themes)[number];

export const themeLabels: Record<Theme, string> = {
  auto: "Match system",
  light: "Light",
  dark: "Dark",
  retro: "Retro terminal",
};

const STORAGE_KEY = "photoferry.theme";

function stored(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return themes.includes(value as Theme) ? (value as Theme) : "auto";
  } catch {
    return "auto";
  }
}

export const theme = new Store<Theme>(stored());

export function applyTheme(value: Theme): void {
  document.documentElement.dataset.theme = value;
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Private windows may refuse storage; the theme then lasts for this page only.
  }
}

theme.subscribe(applyTheme);
applyTheme(theme.get());
