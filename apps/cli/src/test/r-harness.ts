import { runHarnessChild } from './harness-child';
import type { HarnessRequest, HarnessResult } from './harness-result';

// Runs in `Rscript -e`: reads the request (JSON) on stdin, sources the entry, runs
// init(ctx) then predict(input), and writes one JSON result to the file named by its last
// argument: R cannot move the model's print() off stdout, so the result does not go there.
const HARNESS = String.raw`
request <- jsonlite::parse_json(paste(readLines(file("stdin"), warn = FALSE, encoding = "UTF-8"), collapse = "\n"))
result_file <- commandArgs(trailingOnly = TRUE)[1]
say <- function(level) function(...) cat(level, " model: ", ..., "\n", sep = "", file = stderr())
ctx <- list(
  model_dir = request$modelDir, coefficients_dir = request$coefficientsDir,
  config = lapply(request$config, as.character),
  logger = list(info = say("INFO"), warn = say("WARNING"), error = say("ERROR")),
  ignite = NULL
)
stage <- "load"
trace <- ""
result <- tryCatch(withCallingHandlers({
  model <- new.env(parent = globalenv())
  sys.source(file.path(request$modelDir, request$entry), envir = model, keep.source = FALSE)
  predict <- get0("predict", envir = model, inherits = FALSE)
  if (!is.function(predict)) stop(request$entry, " must define a function predict(input)")
  stage <- "init"
  init <- get0("init", envir = model, inherits = FALSE)
  if (is.function(init)) init(ctx)
  if (is.null(request$input)) {
    list(stage = "done")
  } else {
    stage <- "predict"
    output <- predict(request$input)
    if (!is.character(output) || length(output) != 1L) stop("predict must return one string")
    list(stage = "done", output = output)
  }
}, error = function(e) trace <<- paste(vapply(sys.calls(), function(call) deparse(call, nlines = 1L)[1L], ""), collapse = "\n")),
error = function(e) list(stage = stage, error = paste0("Error: ", conditionMessage(e)), trace = trace))
writeLines(enc2utf8(as.character(jsonlite::toJSON(result, auto_unbox = TRUE))), result_file, useBytes = TRUE)
`;

/** Runs an R model's init and predict in a child Rscript, with the wrapper's ctx. */
export function runRModel(request: HarnessRequest, rscript: string): Promise<HarnessResult> {
  return runHarnessChild(request, {
    command: rscript,
    args: ['--vanilla', '-e', HARNESS],
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: '/tmp',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
    },
    setting: 'MLRUN_RSCRIPT',
    resultIn: 'file',
  });
}
