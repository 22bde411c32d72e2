// Typed GraphQL operations of the Cinegraph web app. Each document is paired
// with hand-written result and variable types (see schemaTypes.ts).
import { gql, type TypedDocumentNode } from "@apollo/client";
import { MESSAGE_FIELDS, MY_LIST_FIELDS, POSTER_FIELDS, VIDEO_FIELDS } from "./fragments";
import type {
  ChatMessage,
  CreditRole,
  DateTime,
  MaturityRating,
  MessageConnection,
  PageInfo,
  PosterTitle,
  SentimentLabel,
  TitleFilter,
  Video,
} from "./schemaTypes";

export interface ProfileWithList {
  __typename?: "Profile";
  id: string;
  myList: PosterTitle[];
}

/* ---------- Home ----------
 * One query per subgraph-owned row: the lists are non-null, so an outage of
 * one subgraph would otherwise null the whole viewer (and every row with it).
 */

export interface ContinueWatchingData {
  viewer: {
    __typename?: "Profile";
    id: string;
    continueWatching: {
      __typename?: "ViewingActivity";
      positionSeconds: number;
      progress: number;
      video: {
        __typename?: "Video";
        id: string;
        name: string;
        title: PosterTitle;
      };
    }[];
  };
}

export const CONTINUE_WATCHING_QUERY: TypedDocumentNode<ContinueWatchingData, Record<string, never>> = gql`
  query ContinueWatching {
    viewer {
      id
      continueWatching(first: 10) {
        positionSeconds
        progress
        video {
          id
          name
          title {
            ...PosterFields
          }
        }
      }
    }
  }
  ${POSTER_FIELDS}
`;

export interface RecommendationsData {
  viewer: {
    __typename?: "Profile";
    id: string;
    recommendations: {
      __typename?: "Recommendation";
      reason: string;
      score: number;
      title: PosterTitle;
    }[];
  };
}

export const RECOMMENDATIONS_QUERY: TypedDocumentNode<RecommendationsData, Record<string, never>> = gql`
  query Recommendations {
    viewer {
      id
      recommendations(first: 10) {
        reason
        score
        title {
          ...PosterFields
        }
      }
    }
  }
  ${POSTER_FIELDS}
`;

export interface ViewerData {
  viewer: ProfileWithList & { name: string; avatarUrl: string };
}

export const VIEWER_QUERY: TypedDocumentNode<ViewerData, Record<string, never>> = gql`
  query Viewer {
    viewer {
      id
      name
      avatarUrl
      ...MyListFields
    }
  }
  ${MY_LIST_FIELDS}
`;

/* ---------- Browse ---------- */

export interface TitleConnectionData {
  __typename?: "TitleConnection";
  totalCount: number;
  pageInfo: PageInfo;
  edges: { __typename?: "TitleEdge"; cursor: string; node: PosterTitle }[];
}

export interface BrowseData {
  titles: TitleConnectionData;
}

export interface BrowseVars {
  first: number;
  after?: string | null;
  filter?: TitleFilter | null;
}

export const BROWSE_QUERY: TypedDocumentNode<BrowseData, BrowseVars> = gql`
  query Browse($first: Int!, $after: String, $filter: TitleFilter) {
    titles(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...PosterFields
        }
      }
    }
  }
  ${POSTER_FIELDS}
`;

export interface GenresData {
  genres: { __typename?: "Genre"; slug: string; name: string }[];
}

export const GENRES_QUERY: TypedDocumentNode<GenresData, Record<string, never>> = gql`
  query Genres {
    genres {
      slug
      name
    }
  }
`;

/* ---------- Search ---------- */

export interface FacetBucket {
  __typename?: "FacetBucket";
  value: string;
  count: number;
}

export interface SearchData {
  search: {
    __typename?: "SearchConnection";
    totalCount: number;
    pageInfo: PageInfo;
    facets: {
      __typename?: "SearchFacets";
      genres: FacetBucket[];
      releaseYears: FacetBucket[];
      kinds: FacetBucket[];
    };
    edges: {
      __typename?: "SearchEdge";
      cursor: string;
      score: number;
      highlights: { __typename?: "Highlight"; field: string; fragments: string[] }[];
      node: PosterTitle & { synopsis: string };
    }[];
  };
}

export interface SearchVars {
  query: string;
  first: number;
  after?: string | null;
  filter?: TitleFilter | null;
}

export const SEARCH_QUERY: TypedDocumentNode<SearchData, SearchVars> = gql`
  query Search($query: String!, $first: Int!, $after: String, $filter: TitleFilter) {
    search(query: $query, first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      facets {
        genres {
          value
          count
        }
        releaseYears {
          value
          count
        }
        kinds {
          value
          count
        }
      }
      edges {
        cursor
        score
        highlights {
          field
          fragments
        }
        node {
          ...PosterFields
          synopsis
        }
      }
    }
  }
  ${POSTER_FIELDS}
`;

/* ---------- Title page ---------- */

export interface AudienceSentiment {
  __typename?: "AudienceSentiment";
  messageCount: number;
  positive: number;
  neutral: number;
  negative: number;
  averageScore: number;
  label: SentimentLabel;
}

export interface TitleDetails extends PosterTitle {
  synopsis: string;
  genres: { __typename?: "Genre"; slug: string; name: string }[];
  maturityRating: MaturityRating;
  runtimeMinutes: number | null;
  artwork: PosterTitle["artwork"] & { backdropUrl: string };
  cast: {
    __typename?: "Credit";
    role: CreditRole;
    character: string | null;
    person: { __typename?: "Person"; id: string; name: string };
  }[];
  seasons: {
    __typename?: "Season";
    number: number;
    episodes: {
      __typename?: "Episode";
      id: string;
      number: number;
      name: string;
      synopsis: string;
      runtimeMinutes: number;
      video: Video | null;
    }[];
  }[];
  chatRoom: { __typename?: "ChatRoom"; id: string; messageCount: number } | null;
}

export interface TitleData {
  title: TitleDetails | null;
}

export interface TitleVars {
  id: string;
}

export const TITLE_QUERY: TypedDocumentNode<TitleData, TitleVars> = gql`
  query TitlePage($id: ID!) {
    title(id: $id) {
      ...PosterFields
      synopsis
      maturityRating
      runtimeMinutes
      genres {
        slug
        name
      }
      artwork {
        posterUrl
        backdropUrl
      }
      cast(first: 12) {
        role
        character
        person {
          id
          name
        }
      }
      seasons {
        number
        episodes {
          id
          number
          name
          synopsis
          runtimeMinutes
          video {
            ...VideoFields
          }
        }
      }
      chatRoom {
        id
        messageCount
      }
    }
  }
  ${VIDEO_FIELDS}
  ${POSTER_FIELDS}
`;

// Videos and sentiment come from other subgraphs and are non-null on Title:
// separate queries keep an outage there from nulling the whole title page.

export interface TitleVideosData {
  title: { __typename?: "Title"; id: string; videos: Video[] } | null;
}

export const TITLE_VIDEOS_QUERY: TypedDocumentNode<TitleVideosData, TitleVars> = gql`
  query TitleVideos($id: ID!) {
    title(id: $id) {
      id
      videos {
        ...VideoFields
      }
    }
  }
  ${VIDEO_FIELDS}
`;

export interface TitleSentimentData {
  title: { __typename?: "Title"; id: string; audienceSentiment: AudienceSentiment } | null;
}

export const TITLE_SENTIMENT_QUERY: TypedDocumentNode<TitleSentimentData, TitleVars> = gql`
  query TitleSentiment($id: ID!) {
    title(id: $id) {
      id
      audienceSentiment {
        messageCount
        positive
        neutral
        negative
        averageScore
        label
      }
    }
  }
`;

/* ---------- My List ---------- */

export interface MyListVars {
  titleId: string;
}

export const ADD_TO_MY_LIST: TypedDocumentNode<{ addToMyList: ProfileWithList }, MyListVars> = gql`
  mutation AddToMyList($titleId: ID!) {
    addToMyList(titleId: $titleId) {
      ...MyListFields
    }
  }
  ${MY_LIST_FIELDS}
`;

export const REMOVE_FROM_MY_LIST: TypedDocumentNode<
  { removeFromMyList: ProfileWithList },
  MyListVars
> = gql`
  mutation RemoveFromMyList($titleId: ID!) {
    removeFromMyList(titleId: $titleId) {
      ...MyListFields
    }
  }
  ${MY_LIST_FIELDS}
`;

/* ---------- Playback ---------- */

export interface PlaybackSession {
  __typename?: "PlaybackSession";
  id: string;
  positionSeconds: number;
  updatedAt: DateTime;
  video: { __typename?: "Video"; id: string; durationSeconds: number };
}

export const START_PLAYBACK: TypedDocumentNode<
  { startPlayback: PlaybackSession },
  { videoId: string }
> = gql`
  mutation StartPlayback($videoId: ID!) {
    startPlayback(videoId: $videoId) {
      id
      positionSeconds
      updatedAt
      video {
        id
        durationSeconds
      }
    }
  }
`;

export const REPORT_PROGRESS: TypedDocumentNode<
  { reportProgress: { __typename?: "PlaybackSession"; id: string; positionSeconds: number; updatedAt: DateTime } },
  { sessionId: string; positionSeconds: number }
> = gql`
  mutation ReportProgress($sessionId: ID!, $positionSeconds: Int!) {
    reportProgress(sessionId: $sessionId, positionSeconds: $positionSeconds) {
      id
      positionSeconds
      updatedAt
    }
  }
`;

/* ---------- Watch-party chat ---------- */

export interface ChatMessagesData {
  chatRoom: {
    __typename?: "ChatRoom";
    id: string;
    messages: MessageConnection;
  } | null;
}

export interface ChatMessagesVars {
  roomId: string;
  first: number;
  before?: string | null;
}

export const CHAT_MESSAGES_QUERY: TypedDocumentNode<ChatMessagesData, ChatMessagesVars> = gql`
  query ChatMessages($roomId: ID!, $first: Int!, $before: String) {
    chatRoom(id: $roomId) {
      id
      messages(first: $first, before: $before) {
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          cursor
          node {
            ...MessageFields
          }
        }
      }
    }
  }
  ${MESSAGE_FIELDS}
`;

export const POST_MESSAGE: TypedDocumentNode<
  { postMessage: ChatMessage },
  { roomId: string; body: string }
> = gql`
  mutation PostMessage($roomId: ID!, $body: String!) {
    postMessage(roomId: $roomId, body: $body) {
      ...MessageFields
    }
  }
  ${MESSAGE_FIELDS}
`;

export const MESSAGE_ADDED: TypedDocumentNode<{ messageAdded: ChatMessage }, { roomId: string }> = gql`
  subscription MessageAdded($roomId: ID!) {
    messageAdded(roomId: $roomId) {
      ...MessageFields
    }
  }
  ${MESSAGE_FIELDS}
`;

