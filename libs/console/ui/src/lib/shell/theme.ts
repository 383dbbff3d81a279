import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Mantine's defaults miss WCAG AA (4.5:1) in a few places: the primary blue.6 under white
// text, dimmed gray.6 text, blue.6 links, and the "light" variant's shade-6 text on its
// tinted background. Darker shades in light, lighter ones in dark, and text on filled
// colors picked by luminance (autoContrast).
export const consoleTheme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  // No transitions for those who ask for less motion (prefers-reduced-motion).
  respectReducedMotion: true,
});

const TINTED = ['blue', 'red', 'green', 'orange', 'yellow', 'teal', 'gray', 'violet', 'grape'];

// Shade 9 of these is still under 4.5:1 on white (green.9 #2b8a3e is 4.4:1): darker
// tones of the same hue, 6:1 or more on white and on their own tint.
const DARKER_THAN_9: Record<string, string> = {
  green: '#237032',
  yellow: '#8a4b00',
  orange: '#a33a0b',
};

/**
 * Text in a tone (a state, an outcome) readable in both schemes: the "light" variant's
 * text color, which the resolver below makes dark in light and light in dark.
 * @example <Text c={toneColor('green')}>Build succeeded</Text>
 */
export function toneColor(color: string): string {
  return `var(--mantine-color-${color}-light-color)`;
}

export const contrastVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
    ...Object.fromEntries(
      TINTED.map((color) => [
        `--mantine-color-${color}-light-color`,
        DARKER_THAN_9[color] ?? `var(--mantine-color-${color}-9)`,
      ]),
    ),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-4)',
    ...Object.fromEntries(
      TINTED.map((color) => [
        `--mantine-color-${color}-light-color`,
        `var(--mantine-color-${color}-2)`,
      ]),
    ),
  },
});
