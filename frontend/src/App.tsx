import SearchIcon from "@mui/icons-material/Search";
import { AppBar, Box, Button, Container, InputAdornment, Link, Stack, TextField, Toolbar, Typography } from "@mui/material";
import { useEffect, useState, type FormEvent } from "react";
import { isAdmin, useProfile } from "./profile/ProfileContext";
import { ProfileSwitcher } from "./profile/ProfileSwitcher";
import { matchRoute, OPS_PATH, RouterLink, searchPath, useLocation, useNavigate, type Route } from "./routing/router";
import { AuthCallbackScreen } from "./screens/AuthCallbackScreen";
import { BrowseScreen } from "./screens/BrowseScreen";
import { HomeScreen } from "./screens/HomeScreen";
import { OpsScreen } from "./screens/OpsScreen";
import { SearchScreen } from "./screens/SearchScreen";
import { TitleScreen } from "./screens/TitleScreen";

/** Layout and screen selection. */
export function App() {
  const location = useLocation();
  const route = matchRoute(location);
  return (
    <Box sx={{ minHeight: "100vh", bgcolor: "background.default" }}>
      <TopBar route={route} />
      <Container maxWidth="xl" sx={{ py: 3 }} component="main">
        <Screen route={route} />
      </Container>
    </Box>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case "home":
      return <HomeScreen />;
    case "browse":
      return <BrowseScreen />;
    case "search":
      return <SearchScreen key={route.query} query={route.query} />;
    case "title":
      return <TitleScreen key={route.id} id={route.id} />;
    case "authCallback":
      return <AuthCallbackScreen />;
    case "ops":
      return <OpsScreen />;
    case "notFound":
      return <Typography>There's nothing at this address.</Typography>;
  }
}

function TopBar({ route }: { route: Route }) {
  const navigate = useNavigate();
  const admin = isAdmin(useProfile().identity);
  const [query, setQuery] = useState(route.name === "search" ? route.query : "");
  useEffect(() => {
    if (route.name === "search") setQuery(route.query);
  }, [route]);

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) navigate(searchPath(query.trim()));
  };

  return (
    <AppBar position="sticky" color="default" elevation={0} sx={{ borderBottom: 1, borderColor: "divider" }}>
      <Toolbar sx={{ gap: 2, flexWrap: { xs: "wrap", md: "nowrap" }, py: { xs: 1, md: 0 } }}>
        <RouterLink to="/" underline="none" color="primary" sx={{ fontWeight: 800, fontSize: 22, letterSpacing: 1 }}>
          CINEGRAPH
        </RouterLink>
        <Stack direction="row" spacing={1}>
          <Button color={route.name === "home" ? "primary" : "inherit"} onClick={() => navigate("/")}>
            Home
          </Button>
          <Button color={route.name === "browse" ? "primary" : "inherit"} onClick={() => navigate("/browse")}>
            Browse
          </Button>
          {admin && (
            <Button color={route.name === "ops" ? "primary" : "inherit"} onClick={() => navigate(OPS_PATH)}>
              Ops
            </Button>
          )}
        </Stack>
        <Box component="form" onSubmit={onSearch} role="search" sx={{ flex: 1, minWidth: 200 }}>
          <TextField
            size="small"
            fullWidth
            placeholder="Search titles, people, genres"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            slotProps={{
              htmlInput: { "aria-label": "Search" },
              input: {
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon fontSize="small" />
                  </InputAdornment>
                ),
              },
            }}
          />
        </Box>
        <Link href="/playground" color="inherit" underline="hover" variant="body2">
          Playground
        </Link>
        <ProfileSwitcher />
      </Toolbar>
    </AppBar>
  );
}
