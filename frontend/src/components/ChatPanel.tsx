import type { ApolloCache } from "@apollo/client";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import SendIcon from "@mui/icons-material/Send";
import {
  Avatar,
  Box,
  Button,
  Chip,
  CircularProgress,
  IconButton,
  List,
  ListItem,
  ListItemAvatar,
  ListItemText,
  Paper,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorNotice } from "../errors/ErrorNotice";
import { ChatMessagesDocument, MessageAddedDocument, PostMessageDocument } from "../gql/graphql";
import { useLiveSettings, useSocketStatus } from "../live/LiveContext";
import { CHAT_PAGE_SIZE, withMessage } from "./chatCache";
import { formatSentAt } from "./format";
import { SentimentChip } from "./SentimentChip";

/**
 * The watch-party chat of one room: newest messages first, "older" paging,
 * posting, and live updates over the messageAdded subscription. While the
 * socket is not live (not connected, or the subscription failed) the newest
 * page is polled instead. A message new to the list also counts towards the
 * room's cached messageCount, which messageCount (when given) shows.
 */
export function ChatPanel({ roomId, messageCount }: { roomId: string; messageCount?: number }) {
  const client = useApolloClient();
  const { subscriptions, pollIntervalMs } = useLiveSettings();
  const socket = useSocketStatus();
  const [subscriptionError, setSubscriptionError] = useState<Error | null>(null);
  const live = subscriptions && socket === "connected" && !subscriptionError;

  const variables = { roomId, first: CHAT_PAGE_SIZE };
  const { data, error, loading, fetchMore, subscribeToMore } = useQuery(ChatMessagesDocument, {
    variables,
    errorPolicy: "all",
    pollInterval: live ? 0 : pollIntervalMs,
    notifyOnNetworkStatusChange: false,
  });
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    if (!subscriptions) return;
    setSubscriptionError(null);
    return subscribeToMore({
      document: MessageAddedDocument,
      variables: { roomId },
      updateQuery: (_prev, { previousData, complete, subscriptionData }) => {
        if (!complete || !previousData) return undefined;
        const next = withMessage(previousData, subscriptionData.data.messageAdded);
        if (next === previousData) return undefined;
        countMessage(client.cache, roomId);
        return next;
      },
      onError: (err) => setSubscriptionError(err instanceof Error ? err : new Error(String(err))),
    });
  }, [roomId, subscriptions, subscribeToMore, client]);

  const [post, postState] = useMutation(PostMessageDocument, {
    update(cache, { data: posted }) {
      if (!posted) return;
      let added = false;
      cache.updateQuery({ query: ChatMessagesDocument, variables }, (prev) => {
        if (!prev) return undefined;
        const next = withMessage(prev, posted.postMessage);
        added = next !== prev;
        return added ? next : undefined;
      });
      if (added) countMessage(cache, roomId);
    },
  });
  const [body, setBody] = useState("");

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    try {
      await post({ variables: { roomId, body: text } });
      setBody("");
    } catch {
      // postState.error carries the details; keep the draft.
    }
  };

  const messages = data?.chatRoom?.messages;
  const loadOlder = async () => {
    if (!messages?.pageInfo.endCursor) return;
    setLoadingOlder(true);
    try {
      await fetchMore({ variables: { before: messages.pageInfo.endCursor } });
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Watch party">
      <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Watch party
        </Typography>
        {messageCount !== undefined && (
          <Typography variant="caption" color="text.secondary" aria-live="polite" data-testid="chat-message-count">
            {messageCount} {messageCount === 1 ? "message" : "messages"}
          </Typography>
        )}
        {subscriptions && (
          <Chip
            size="small"
            variant="outlined"
            color={live ? "success" : "default"}
            label={live ? "Live" : `Refreshing every ${Math.round(pollIntervalMs / 1000)}s`}
          />
        )}
      </Stack>

      <Box component="form" onSubmit={onSubmit} sx={{ display: "flex", gap: 1, mb: 2 }}>
        <TextField
          size="small"
          fullWidth
          placeholder="Say something…"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          slotProps={{ htmlInput: { "aria-label": "Message", maxLength: 1000 } }}
        />
        <IconButton type="submit" aria-label="Send" color="primary" disabled={postState.loading || !body.trim()}>
          <SendIcon />
        </IconButton>
      </Box>
      <ErrorNotice error={postState.error} />
      <ErrorNotice error={error} />

      {loading && !messages && <CircularProgress size={24} />}
      {messages && messages.edges.length === 0 && (
        <Typography color="text.secondary">No messages yet. Start the conversation!</Typography>
      )}
      {messages && messages.edges.length > 0 && (
        <List dense aria-label="Messages">
          {messages.edges.map(({ node }) => (
            <ListItem key={node.id} alignItems="flex-start" disableGutters>
              <ListItemAvatar>
                <Avatar sx={{ width: 32, height: 32 }}>{(node.author?.name ?? "?").charAt(0)}</Avatar>
              </ListItemAvatar>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
                    <Typography variant="subtitle2" component="span">
                      {node.author?.name ?? "Unknown viewer"}
                    </Typography>
                    <Typography variant="caption" color="text.secondary" component="span">
                      {formatSentAt(node.sentAt)}
                    </Typography>
                    {node.sentiment && <SentimentChip label={node.sentiment.label} score={node.sentiment.score} />}
                  </Stack>
                }
                secondary={node.body}
                slotProps={{ secondary: { sx: { color: "text.primary", whiteSpace: "pre-wrap", overflowWrap: "anywhere" } } }}
              />
            </ListItem>
          ))}
        </List>
      )}
      {messages?.pageInfo.hasNextPage && (
        <Button onClick={loadOlder} disabled={loadingOlder} fullWidth>
          {loadingOlder ? "Loading…" : "Older messages"}
        </Button>
      )}
    </Paper>
  );
}

/** One more message in the room's cached messageCount (the title page's count). */
function countMessage(cache: ApolloCache, roomId: string): void {
  cache.modify({
    id: cache.identify({ __typename: "ChatRoom", id: roomId }),
    fields: { messageCount: (n: number) => n + 1 },
  });
}
