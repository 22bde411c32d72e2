import { createTheme } from "@mui/material/styles";

/** Dark theme; system fonts only, so nothing is fetched from the internet. */
export const theme = createTheme({
  palette: {
    mode: "dark",
    primary: { main: "#e50914" },
    secondary: { main: "#46d369" },
    background: { default: "#101014", paper: "#1b1b22" },
  },
  typography: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  },
  shape: { borderRadius: 8 },
});
