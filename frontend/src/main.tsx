import { CssBaseline, ThemeProvider } from "@mui/material";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { CinegraphApollo } from "./apollo/CinegraphApollo";
import { ProfileProvider } from "./profile/ProfileContext";
import { browserNavigator, Router } from "./routing/router";
import { theme } from "./theme";

const root = document.getElementById("root");
if (!root) throw new Error("missing #root element");

createRoot(root).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <ProfileProvider>
        <CinegraphApollo>
          <Router navigator={browserNavigator()}>
            <App />
          </Router>
        </CinegraphApollo>
      </ProfileProvider>
    </ThemeProvider>
  </StrictMode>,
);
