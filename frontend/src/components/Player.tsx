import { useApolloClient, useMutation } from "@apollo/client/react";
import PauseIcon from "@mui/icons-material/Pause";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Box, Button, IconButton, Paper, Slider, Stack, Typography } from "@mui/material";
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorNotice } from "../errors/ErrorNotice";
import { ReportProgressDocument, StartPlaybackDocument, type PosterFieldsFragment } from "../gql/graphql";
import { updateContinueWatching } from "../live/continueWatching";
import { ClampedText } from "./ClampedText";
import { formatClock } from "./format";

export interface PlayerVideo {
  id: string;
  name: string;
  durationSeconds: number;
}

export interface PlayerProps {
  video: PlayerVideo;
  /** Real milliseconds per simulated tick. */
  tickMs?: number;
  /** Video seconds advanced per tick (a sped-up simulation). */
  secondsPerTick?: number;
  /** Ticks between reportProgress calls. */
  reportEveryTicks?: number;
  /** Start playback as soon as the player opens (it was opened by a Play button). */
  autoStart?: boolean;
  /** The video's title, so that a newly started video joins the cached continue-watching row. */
  title?: PosterFieldsFragment | null;
}

/**
 * A simulated player: startPlayback opens a session (resuming where the
 * viewer left off), a progress bar advances on a timer, and the position is
 * reported every few ticks, on pause, on seek and when the player closes.
 */
export function Player({
  video,
  tickMs = 1000,
  secondsPerTick = 5,
  reportEveryTicks = 5,
  autoStart = false,
  title = null,
}: PlayerProps) {
  const client = useApolloClient();
  const [start, startState] = useMutation(StartPlaybackDocument);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [reportError, setReportError] = useState<Error | null>(null);
  const duration = video.durationSeconds;

  const positionRef = useRef(0);
  const lastReported = useRef<number | null>(null);
  positionRef.current = position;
  // Read when an answer comes; a new title object (say, a live message
  // count) must not restart the clock.
  const videoRef = useRef(video);
  const titleRef = useRef(title);
  videoRef.current = video;
  titleRef.current = title;

  const report = useCallback(
    (id: string, seconds: number) => {
      const at = Math.round(seconds);
      if (lastReported.current === at) return;
      lastReported.current = at;
      client
        .mutate({
          mutation: ReportProgressDocument,
          variables: { sessionId: id, positionSeconds: at },
          // The home row follows from the answer; no refetch.
          update(cache, { data }) {
            if (!data) return;
            updateContinueWatching(cache, {
              video: videoRef.current,
              positionSeconds: data.reportProgress.positionSeconds,
              title: titleRef.current,
            });
          },
        })
        .then(() => setReportError(null))
        .catch((err: unknown) => setReportError(err instanceof Error ? err : new Error(String(err))));
    },
    [client],
  );

  // Advance the simulated clock.
  useEffect(() => {
    if (!playing || !sessionId) return;
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
      const next = Math.min(duration, positionRef.current + secondsPerTick);
      positionRef.current = next;
      setPosition(next);
      if (next >= duration) {
        setPlaying(false);
        report(sessionId, next);
      } else if (ticks % reportEveryTicks === 0) {
        report(sessionId, next);
      }
    }, tickMs);
    return () => clearInterval(timer);
  }, [playing, sessionId, duration, secondsPerTick, reportEveryTicks, tickMs, report]);

  // Report the final position when the player goes away.
  useEffect(() => {
    if (!sessionId) return;
    return () => report(sessionId, positionRef.current);
  }, [sessionId, report]);

  const onPlay = async () => {
    if (sessionId) {
      setPlaying(true);
      return;
    }
    try {
      const { data } = await start({ variables: { videoId: video.id } });
      if (!data) return;
      const session = data.startPlayback;
      const resumeAt = session.positionSeconds >= duration ? 0 : session.positionSeconds;
      positionRef.current = resumeAt;
      lastReported.current = session.positionSeconds;
      setPosition(resumeAt);
      setSessionId(session.id);
      setPlaying(true);
    } catch {
      // startState.error carries the details.
    }
  };

  // Refs survive StrictMode's effect replay, so this starts one session only.
  const autoStarted = useRef(false);
  useEffect(() => {
    if (!autoStart || autoStarted.current) return;
    autoStarted.current = true;
    void onPlay();
    // onPlay is recreated each render; starting once on mount is the intent.
  }, [autoStart]);

  const onPause = () => {
    setPlaying(false);
    if (sessionId) report(sessionId, positionRef.current);
  };

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={`Player: ${video.name}`}>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        {playing ? (
          <IconButton aria-label="Pause" onClick={onPause} color="primary">
            <PauseIcon />
          </IconButton>
        ) : (
          <Button
            variant="contained"
            startIcon={<PlayArrowIcon />}
            onClick={onPlay}
            disabled={startState.loading}
          >
            {sessionId ? "Resume" : "Play"}
          </Button>
        )}
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <ClampedText variant="body2">{video.name}</ClampedText>
          <Slider
            size="small"
            aria-label="Playback position"
            min={0}
            max={Math.max(duration, 1)}
            value={position}
            disabled={!sessionId}
            onChange={(_, v) => {
              positionRef.current = v as number;
              setPosition(v as number);
            }}
            onChangeCommitted={(_, v) => sessionId && report(sessionId, v as number)}
          />
        </Box>
        <Typography variant="caption" sx={{ fontVariantNumeric: "tabular-nums" }} data-testid="player-clock">
          {formatClock(position)} / {formatClock(duration)}
        </Typography>
      </Stack>
      <ErrorNotice error={startState.error} />
      <ErrorNotice error={reportError} />
    </Paper>
  );
}
