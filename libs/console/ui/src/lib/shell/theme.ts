import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Mantine's defaults miss WCAG AA (4.5:1) in a few places: the primary blue.6 under white
// text, dimmed gray.6 text, blue.6 links, and the "light" variant's shade-9 text on its
// hovered shade-2 background (4.0:1 for blue). Darker shades in light, lighter ones in dark,
// and text on filled colors picked by luminance (autoContrast).
export const consoleTheme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  // No transitions for those who ask for less motion (prefers-reduced-motion).
  respectReducedMotion: true,
});

const TINTED = ['blue', 'red', 'green', 'orange', 'yellow', 'teal', 'gray', 'violet', 'grape'];

// Shade 9 of these is under 4.5:1 on white or on its own shade-1 tint (green.9 #2b8a3e is
// 4.4:1 on white, red.9 4.5:1 on red.1): darker tones of the same hue, 5:1 or more on
// white and on shades 0 and 1 of their color (the light variant's background and hover).
const DARKER_THAN_9: Record<string, string> = {
  blue: '#14508a',
  red: '#a61e1e',
  green: '#237032',
  yellow: '#8a4b00',
  orange: '#a33a0b',
  teal: '#06664a',
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
      TINTED.flatMap((color) => [
        [
          `--mantine-color-${color}-light-color`,
          DARKER_THAN_9[color] ?? `var(--mantine-color-${color}-9)`,
        ],
        // One shade lighter than Mantine's (1 and 2): the hover stays readable.
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
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
