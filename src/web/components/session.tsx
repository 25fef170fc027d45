import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from '../api/types.ts';

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in user (only inside the signed-in part of the app). */
export function useCurrentUser(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useCurrentUser outside the signed-in app');
  return me;
}
