import { Typography, type TypographyProps } from "@mui/material";

/**
 * Text that never overflows its box: cut with an ellipsis after `lines`
 * lines (one by default), long words broken, the whole text in the title
 * attribute (the tooltip) whenever it is cut.
 */
export function ClampedText({
  lines = 1,
  children,
  sx,
  ...rest
}: Omit<TypographyProps, "children"> & { lines?: number; children: string }) {
  const clamp =
    lines === 1
      ? { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }
      : {
          display: "-webkit-box",
          WebkitLineClamp: lines,
          lineClamp: lines,
          WebkitBoxOrient: "vertical",
          overflow: "hidden",
          overflowWrap: "anywhere",
        };
  return (
    <Typography title={children} {...rest} sx={[clamp, { minWidth: 0 }, ...(Array.isArray(sx) ? sx : [sx])]}>
      {children}
    </Typography>
  );
}
