import { createTheme } from "@mui/material/styles";

// The brand red carries white text (contained buttons, selected chips) at
// 4.8:1; as text on the dark surfaces it reads at about 3.4:1 only, so text
// in the primary colour (text and outlined buttons, icon buttons, highlights) uses
// the lighter red, above 5.5:1 there.
const PRIMARY_TEXT = "#ff6b70";

/** Dark theme; system fonts only, so nothing is fetched from the internet. */
export const theme = createTheme({
  palette: {
    mode: "dark",
    primary: { main: "#e50914", light: PRIMARY_TEXT },
    secondary: { main: "#46d369" },
    background: { default: "#101014", paper: "#1b1b22" },
  },
  typography: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  },
  shape: { borderRadius: 8 },
  components: {
    MuiButton: {
      styleOverrides: {
        root: {
          variants: [
            { props: { variant: "text", color: "primary" }, style: { color: PRIMARY_TEXT } },
            { props: { variant: "outlined", color: "primary" }, style: { color: PRIMARY_TEXT } },
          ],
        },
      },
    },
    // The selected tab's label in the brand red fails contrast on the
    // dark paper; its lighter tint passes.
    MuiTab: {
      styleOverrides: {
        root: { "&.Mui-selected": { color: PRIMARY_TEXT } },
      },
    },
    MuiIconButton: {
      styleOverrides: {
        root: {
          variants: [{ props: { color: "primary" }, style: { color: PRIMARY_TEXT } }],
        },
      },
    },
  },
});
