import { Box, Button, CircularProgress } from "@mui/material";
import { useEffect, useRef } from "react";

/**
 * "Load more" button that also fires when scrolled into view (infinite
 * scroll); the button stays for keyboard users and browsers without
 * IntersectionObserver.
 */
export function LoadMore({ hasMore, loading, onLoadMore }: { hasMore: boolean; loading: boolean; onLoadMore: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef({ onLoadMore });
  latest.current = { onLoadMore };

  useEffect(() => {
    const el = ref.current;
    if (!hasMore || loading || !el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) latest.current.onLoadMore();
      },
      { rootMargin: "400px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
    // Observing anew after each load fires once more if the end is still in
    // view (a short page), so the grid keeps filling the screen.
  }, [hasMore, loading]);

  if (!hasMore) return null;
  return (
    <Box ref={ref} sx={{ display: "flex", justifyContent: "center", my: 3 }}>
      <Button variant="outlined" onClick={onLoadMore} disabled={loading} startIcon={loading ? <CircularProgress size={16} /> : undefined}>
        {loading ? "Loading…" : "Load more"}
      </Button>
    </Box>
  );
}
