/** The mark: a rising line over the river (inline SVG; no external asset). */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" style={{ flexShrink: 0 }}>
      <rect width="64" height="64" rx="14" fill="#2f6fd6" />
      <path d="M12 46 L28 22 L36 34 L43 25 L54 46 Z" fill="#fff" />
      <circle cx="46" cy="15" r="5" fill="#f5b041" />
    </svg>
  );
}
