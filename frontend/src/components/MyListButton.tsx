import { useMutation, useQuery } from "@apollo/client/react";
import AddIcon from "@mui/icons-material/Add";
import CheckIcon from "@mui/icons-material/Check";
import { Button } from "@mui/material";
import { useState } from "react";
import { ErrorNotice } from "../errors/ErrorNotice";
import {
  AddToMyListDocument,
  RemoveFromMyListDocument,
  ViewerDocument,
  type PosterFieldsFragment,
} from "../gql/graphql";

/**
 * Adds or removes a title from the viewer's list. Both mutations return the
 * Profile with its list, so the normalized cache updates every screen showing
 * it; the optimistic response makes the toggle instant.
 */
export function MyListButton({ title }: { title: PosterFieldsFragment }) {
  const viewer = useQuery(ViewerDocument, { errorPolicy: "all" });
  const [add, addState] = useMutation(AddToMyListDocument);
  const [remove, removeState] = useMutation(RemoveFromMyListDocument);
  const [failed, setFailed] = useState<Error | null>(null);

  const profile = viewer.data?.viewer;
  const inList = profile?.myList.some((t) => t.id === title.id) ?? false;
  const busy = addState.loading || removeState.loading;

  const toggle = async () => {
    if (!profile) return;
    setFailed(null);
    const entry = { ...title, __typename: "Title" as const };
    try {
      if (inList) {
        await remove({
          variables: { titleId: title.id },
          optimisticResponse: {
            removeFromMyList: {
              __typename: "Profile",
              id: profile.id,
              myList: profile.myList.filter((t) => t.id !== title.id),
            },
          },
        });
      } else {
        await add({
          variables: { titleId: title.id },
          optimisticResponse: {
            addToMyList: { __typename: "Profile", id: profile.id, myList: [entry, ...profile.myList] },
          },
        });
      }
    } catch (err) {
      setFailed(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (
    <>
      <Button
        variant={inList ? "contained" : "outlined"}
        color={inList ? "secondary" : "inherit"}
        startIcon={inList ? <CheckIcon /> : <AddIcon />}
        onClick={toggle}
        disabled={!profile || busy}
        aria-pressed={inList}
      >
        {inList ? "In My List" : "My List"}
      </Button>
      {failed && <ErrorNotice error={failed} />}
    </>
  );
}
