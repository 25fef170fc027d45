import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useCurrentUser } from '../../components/session.tsx';
import { landingPathFor } from '../../modules.tsx';
import HomePage from '../HomePage.tsx';

/**
 * The index page: a module's page for roles that land on one (zone leaders: the cockpit), else the home page. The
 * redirect is repeated on every arrival at / (location.key), also when / is navigated to again while this page is
 * still mounted (the sign-in page navigates there once more after it has rendered).
 */
export default function Landing() {
  const me = useCurrentUser();
  const to = landingPathFor(me.roles);
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    if (to) navigate(to, { replace: true });
  }, [to, navigate, location.key]);
  return to ? null : <HomePage />;
}
