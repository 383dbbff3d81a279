import { Paper, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

type FigurePanelProps = {
  title: string;
  /** The chart in words (its latest values, or what it shows): its text alternative. */
  caption: string;
  /** Heading level where the figure sits in the page's outline. */
  order: 2 | 3;
  children: ReactNode;
};

/** A chart as a figure named by its heading and described by its caption. */
export function FigurePanel({ title, caption, order, children }: FigurePanelProps) {
  const titleId = useId();
  const captionId = useId();
  return (
    <Paper
      withBorder
      p="md"
      component="figure"
      m={0}
      aria-labelledby={titleId}
      aria-describedby={captionId}
    >
      <Title order={order} size={order === 2 ? 'h3' : 'h4'} id={titleId}>
        {title}
      </Title>
      <Text id={captionId} size="sm" c={order === 3 ? 'dimmed' : undefined} component="figcaption">
        {caption}
      </Text>
      {children}
    </Paper>
  );
}
