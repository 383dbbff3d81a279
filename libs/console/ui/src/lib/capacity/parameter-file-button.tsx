import { Button, FileButton } from '@mantine/core';

import { parseCapacityParameters, QnetError, type MlrunParameters } from '@ml-run/qnet';

type Props = {
  onLoad(parameters: MlrunParameters, fileName: string): void;
  /** The file is unreadable or breaks the schema: the sentence names the fields to fix. */
  onProblem(message: string): void;
};

/** Reads a capacity parameter file, the CLI's `--file` format, checked by the same schema. */
export function ParameterFileButton({ onLoad, onProblem }: Props) {
  const load = async (file: File | null) => {
    if (!file) return;
    try {
      onLoad(parseCapacityParameters(await file.text()), file.name);
    } catch (error) {
      onProblem(error instanceof QnetError ? `${file.name}: ${error.message}` : String(error));
    }
  };
  return (
    <FileButton onChange={(file) => void load(file)} accept="application/json,.json">
      {(props) => (
        <Button variant="default" {...props}>
          Load a parameter file (JSON)
        </Button>
      )}
    </FileButton>
  );
}
