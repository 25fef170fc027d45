import { Grid } from 'antd';

/** Phones and small tablets (below antd's `md`, 768 px): one column, drawer menu, compact tables. */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a wide screen only when `md` is known.
  return screens.md === false || (screens.md === undefined && typeof window !== 'undefined' && window.innerWidth < 768);
}
