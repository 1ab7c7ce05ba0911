/**
 * `nabla predict DIR FILE`: the top classes a saved classifier gives an image or a CSV of samples,
 * named as its training data names them (model.json records the class names), the image prepared
 * as the training images were; for a text classifier, `label<TAB>probability` for `--text` or for
 * each line of a text file.
 */
import { loadModel } from '../model/save.js';
import { ValueError } from '../tensor/errors.js';
import { intOption } from './args.js';
import { DEFAULT_MAX_PIXELS } from '../image/limits.js';
import { parseCommand, type CliCommand } from './command.js';
import { readInputFile } from './image-input.js';
import { warn } from '../tensor/warn.js';
import { predictTexts, readTextLines, takesTexts } from './text-model.js';
import { predictSpeech, takesWaveforms } from './speech-model.js';
import { predictCtc } from './train-speech-ctc.js';
import { SpeechCTC } from '../models/speech-ctc.js';
import { readTrainedOn } from './trained-on.js';

const FLAGS = {
  text: { type: 'string', value: 'TEXT', help: 'text classifiers: classify this text (instead of FILE)' },
  top: { type: 'string', value: 'K', help: 'how many classes to print, most probable first (default 3)' },
  'max-pixels': { type: 'string', value: 'N', help: 'the largest image to read, in pixels (default 8192×8192 = 67108864)' },
} as const;

/** `nabla predict`. */
export const PREDICT_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'predict',
  summary: 'classify an image (PNG, JPEG), the samples of a CSV, texts or WAV clips with a saved model',
  synopsis: '  nabla predict DIR FILE.png|FILE.jpg|FILE.csv|FILE.txt|FILE.wav… [--text TEXT] [--top K] [--max-pixels N]',
  flags: FLAGS,
  positionals: true,
  notes: `An image is resized, made gray or colour and scaled as the model's training images were
(model.json records how); a CSV holds one sample of model inputs per line, used as they are.
A text classifier (nabla train --model text…) takes --text "…" or a UTF-8 file of one text per
line (empty lines included), and prints one line per text: the class and its probability,
separated by a tab. A speech classifier (nabla train --model speech) takes WAV files or folders of
them and prints path<TAB>label<TAB>probability per clip; a clip at another sample rate than the
model's is resampled to it, with a note on stderr. A CTC model (nabla train --model speech-ctc)
prints path<TAB>transcription per clip.

examples:
  nabla predict fashion boot.png --top 2      # class 9 Ankle boot (93.1%), class 7 Sneaker (5.2%)
  nabla predict sst2 --text "a gorgeous, witty film"   # 1<TAB>0.9731
  nabla predict digits a.wav clips/                    # a.wav<TAB>7<TAB>0.9912, then each clip of clips/`,
};

/** A class as printed: `class 9`, followed by its name unless that is just the number: `class 9 Ankle boot`. */
function classLabel(c: number, names: readonly string[] | undefined): string {
  const name = names?.[c];
  return name === undefined || name === String(c) ? `class ${c}` : `class ${c} ${name}`;
}

/** Runs `nabla predict`; returns the printed lines. */
export function predict(argv: string[]): string[] {
  const { values, positionals } = parseCommand(PREDICT_COMMAND, argv);
  const [dir, file] = positionals;
  if (dir !== undefined && values.text !== undefined) {
    if (file !== undefined) throw new ValueError('predict: give either --text TEXT or an input file, not both');
    const model = loadModel(dir);
    if (!takesTexts(model)) throw new ValueError(`predict: ${dir} holds a model that takes ${model.sampleInputShape ? `inputs of shape [${model.sampleInputShape.join(', ')}] (images or samples)` : 'tensors'}, not texts; --text is for text classifiers (nabla train --model text…). Give it an image or a CSV: nabla predict ${dir} FILE`);
    return print(predictTexts(model, dir, [values.text]));
  }
  if (dir === undefined || file === undefined) throw new ValueError('predict: give the model directory and one input file: nabla predict DIR FILE, or nabla predict DIR --text TEXT (see nabla predict --help)');
  const model = loadModel(dir);
  if (model instanceof SpeechCTC) return print(predictCtc(model, dir, positionals.slice(1)));
  if (takesWaveforms(model)) return print(predictSpeech(model, dir, positionals.slice(1)));
  if (positionals.length > 2) throw new ValueError('predict: give the model directory and one input file: nabla predict DIR FILE, or nabla predict DIR --text TEXT (several files are for speech classifiers; see nabla predict --help)');
  if (/\.wav$/i.test(file)) throw new ValueError(`predict: ${dir} holds a model that does not take audio, and ${file} is a WAV clip; WAV files are for speech classifiers (nabla train --model speech)`);
  if (takesTexts(model)) {
    if (/\.(png|jpe?g)$/i.test(file)) throw new ValueError(`predict: ${dir} holds a text classifier, and ${file} is an image; give --text TEXT or a text file of one text per line`);
    return print(predictTexts(model, dir, readTextLines(file)));
  }
  if (!model.sampleInputShape) throw new ValueError(`predict: ${dir}/model.json does not record the input shape`);
  const trainedOn = readTrainedOn(model, dir);
  const maxPixels = intOption(values['max-pixels'], 'max-pixels', DEFAULT_MAX_PIXELS);
  const k = intOption(values.top, 'top', 3);
  const x = readInputFile(file, model.sampleInputShape, trainedOn.preprocessing, { maxPixels });
  const probs = model.predict(x);
  const rows = probs.toArray() as number[][];
  let names = trainedOn.classNames;
  const width = rows[0]?.length ?? 0;
  if (names && names.length !== width) {
    warn(`predict: ${dir}/model.json names ${names.length} classes but the model gives ${width} outputs; printing class numbers`);
    names = undefined;
  }
  const lines = rows.map((row, i) => {
    const top = row.map((p, c) => [c, p] as const).sort((a, b) => b[1] - a[1]).slice(0, k);
    const label = rows.length > 1 ? `sample ${i + 1}: ` : '';
    return label + top.map(([c, p]) => `${classLabel(c, names)} (${(100 * p).toFixed(1)}%)`).join(', ');
  });
  return print(lines);
}

function print(lines: string[]): string[] {
  for (const line of lines) console.log(line);
  return lines;
}
