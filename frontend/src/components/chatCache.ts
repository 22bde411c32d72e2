import type { ChatMessagesQuery, MessageFieldsFragment } from "../gql/graphql";

/** Messages per chat page. */
export const CHAT_PAGE_SIZE = 20;

/**
 * Returns the chat data with a new message at the front (newest first);
 * unchanged when the message is already there (the subscription and the
 * postMessage result may deliver the same message).
 */
export function withMessage(prev: ChatMessagesQuery, message: MessageFieldsFragment): ChatMessagesQuery {
  const room = prev.chatRoom;
  if (!room) return prev;
  if (room.messages.edges.some((e) => e.node.id === message.id)) return prev;
  return {
    ...prev,
    chatRoom: {
      ...room,
      messages: {
        ...room.messages,
        edges: [{ __typename: "MessageEdge", cursor: message.id, node: message }, ...room.messages.edges],
      },
    },
  };
}
