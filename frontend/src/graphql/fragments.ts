import { gql } from "@apollo/client";

// Shared selections. Mutations that return a Profile select the same myList
// fields as the screens so the normalized cache updates every view at once.

export const POSTER_FIELDS = gql`
  fragment PosterFields on Title {
    id
    name
    kind
    releaseYear
    artwork {
      posterUrl
    }
  }
`;

export const MY_LIST_FIELDS = gql`
  fragment MyListFields on Profile {
    id
    myList {
      ...PosterFields
    }
  }
  ${POSTER_FIELDS}
`;

export const MESSAGE_FIELDS = gql`
  fragment MessageFields on Message {
    id
    body
    sentAt
    author {
      id
      name
    }
    sentiment {
      label
      score
    }
  }
`;

export const VIDEO_FIELDS = gql`
  fragment VideoFields on Video {
    id
    name
    kind
    durationSeconds
    renditions {
      id
      resolution
      bitrateKbps
      codec
    }
  }
`;
