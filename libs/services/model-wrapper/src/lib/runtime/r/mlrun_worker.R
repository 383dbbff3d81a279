# ML-RUN R worker: runs one model's init(ctx) once, then serves predict(input).
#
# Spoken with the model-wrapper's R runtime in the frames of the python and node workers:
# a 4-byte big-endian unsigned length, then that many bytes of UTF-8 JSON.
#
#   -> {"id": 1, "op": "init", "modelDir": ..., "entry": ..., "coefficientsDir": ..., "config": {...}}
#   <- {"id": 1, "ok": true}
#   -> {"id": 2, "op": "predict", "input": "..."}
#   <- {"id": 2, "ok": true, "output": "..."}
#   <- {"id": n, "ok": false, "error": {"type": "...", "message": "...", "traceback": "..."}}
#
# Requests arrive on fd 3, replies leave on fd 4; stdout and stderr are the model's log.
# Base R cannot dup2 stdout away (as the python worker does), and sink() does not catch
# what C code, system() or a child process writes to fd 1: frames therefore never touch
# stdout, and a model's print() or cat() only reaches the log. The wrapper's fds 3 and 4
# are sockets, which R cannot open as /dev/fd/N (ENXIO), so two `cat` children relay them
# through plain pipes R reads and writes with readBin/writeBin.
#
# EOF on the request channel -> exit 0. A malformed frame -> exit 2 (the pool replaces us).
# Base R plus jsonlite (Debian r-cran-jsonlite). ctx$ignite is NULL: there is no Ignite
# client for R in Debian (docs/architecture.md, "Runtimes").

local({
  EXIT_PROTOCOL_ERROR <- 2L
  MAX_FRAME_BYTES <- 2^30

  protocol_error <- function(text) {
    cat("mlrun_worker.R: protocol error: ", text, "\n", sep = "", file = stderr())
    quit(save = "no", status = EXIT_PROTOCOL_ERROR, runLast = FALSE)
  }

  # readBin on a pipe may return fewer bytes than asked before EOF: read until n or EOF.
  read_exact <- function(con, n) {
    chunks <- list()
    got <- 0
    while (got < n) {
      part <- readBin(con, "raw", n - got)
      if (length(part) == 0L) break
      chunks[[length(chunks) + 1L]] <- part
      got <- got + length(part)
    }
    if (length(chunks) == 1L) chunks[[1L]] else unlist(chunks, use.names = FALSE)
  }

  # NULL at EOF; a list with the request's id otherwise (undecodable JSON: op "undecodable").
  read_frame <- function(con) {
    header <- read_exact(con, 4L)
    if (length(header) == 0L) return(NULL)
    if (length(header) < 4L) protocol_error("truncated frame header")
    length <- readBin(header, "integer", size = 4L, endian = "big")
    if (length < 0L || length > MAX_FRAME_BYTES) protocol_error("frame too long")
    body <- read_exact(con, length)
    if (length(body) < length) {
      protocol_error(sprintf("truncated frame body: %d of %d bytes", length(body), length))
    }
    decode(body)
  }

  decode <- function(body) {
    # JSON carries a NUL as \u0000, never as a raw 0 byte; rawToChar refuses one anyway.
    text <- tryCatch(rawToChar(body), error = function(e) protocol_error(conditionMessage(e)))
    Encoding(text) <- "UTF-8"
    if (!validUTF8(text)) protocol_error("frame is not UTF-8")
    # jsonlite would cut a string at \u0000 (R strings cannot hold NUL): refuse it instead.
    if (grepl("(^|[^\\\\])(\\\\\\\\)*\\\\u0000", text, perl = TRUE)) {
      return(undecodable(text, "R strings cannot hold NUL (\\u0000)"))
    }
    message <- tryCatch(
      jsonlite::parse_json(text, simplifyVector = FALSE),
      error = function(e) undecodable(text, conditionMessage(e))
    )
    if (!is.list(message) || !is.numeric(message$id)) {
      protocol_error("frame is not an object with an integer id")
    }
    message
  }

  # A request R cannot hold is answered (the wrapper writes the id first), not fatal.
  undecodable <- function(text, reason) {
    id <- regmatches(text, regexec('^\\{"id":([0-9]+),', text))[[1L]]
    if (length(id) < 2L) protocol_error(paste("frame is not JSON:", reason))
    list(id = as.numeric(id[2L]), op = "undecodable", reason = reason)
  }

  json_string <- function(text) {
    as.character(jsonlite::toJSON(enc2utf8(text), auto_unbox = TRUE))
  }

  encode_reply <- function(id, ok, output = NULL, error = NULL) {
    head <- sprintf('{"id":%.0f,"ok":%s', as.numeric(id), if (ok) "true" else "false")
    tail <- if (!is.null(output)) {
      paste0(',"output":', json_string(output))
    } else if (!is.null(error)) {
      sprintf(
        ',"error":{"type":%s,"message":%s,"traceback":%s}',
        json_string(error$type), json_string(error$message), json_string(error$traceback)
      )
    } else {
      ""
    }
    text <- paste0(head, tail, "}")
    Encoding(text) <- "UTF-8"
    charToRaw(text)
  }

  write_frame <- function(con, body) {
    header <- writeBin(length(body), raw(), size = 4L, endian = "big")
    # One write and one flush: header and body leave together.
    writeBin(c(header, body), con)
    flush(con)
  }

  # stop("bad coefficients") -> "Error: bad coefficients"; a classed condition keeps its class.
  error_type <- function(condition) {
    type <- class(condition)[1L]
    if (type %in% c("simpleError", "error")) "Error" else type
  }

  # The calls from the model's first frame on, innermost last: this file's frames are noise.
  model_traceback <- function(calls) {
    lines <- vapply(calls, function(call) paste(deparse(call, nlines = 1L), collapse = ""), "")
    first <- match(TRUE, grepl("^(init|predict)_fn\\(", lines))
    shown <- if (is.na(first)) lines else lines[first:length(lines)]
    shown <- shown[!grepl("^(stop|withCallingHandlers|tryCatch|doTryCatch|tryCatchList|tryCatchOne|signalCondition|\\.handleSimpleError|h)\\(", shown)]
    paste(c("Traceback (innermost last):", paste0("  ", shown)), collapse = "\n")
  }

  # Runs the model's code; a condition that escapes it becomes an error body.
  call_model <- function(fn) {
    calls <- NULL
    tryCatch(
      list(ok = TRUE, value = withCallingHandlers(fn(), error = function(e) calls <<- sys.calls())),
      error = function(e) {
        list(ok = FALSE, error = list(
          type = error_type(e),
          message = conditionMessage(e),
          traceback = if (is.null(calls)) "" else model_traceback(calls)
        ))
      }
    )
  }

  platform_error <- function(text) list(ok = FALSE, error = list(type = "", message = text, traceback = ""))

  model_logger <- function() {
    say <- function(level) {
      function(...) {
        cat(level, " model: ", paste0(..., collapse = ""), "\n", sep = "", file = stderr())
        invisible(NULL)
      }
    }
    list(info = say("INFO"), warn = say("WARNING"), error = say("ERROR"))
  }

  predict_fn <- NULL

  init <- function(request) {
    if (!is.null(predict_fn)) return(platform_error("worker is already initialized"))
    model_dir <- normalizePath(request$modelDir, mustWork = TRUE)
    entry <- request$entry
    model <- new.env(parent = globalenv())
    loaded <- call_model(function() sys.source(file.path(model_dir, entry), envir = model, keep.source = FALSE))
    if (!loaded$ok) return(loaded)
    predict <- get0("predict", envir = model, inherits = FALSE)
    if (!is.function(predict)) return(platform_error(sprintf("%s must define a function predict(input)", entry)))
    init_fn <- get0("init", envir = model, inherits = FALSE)
    if (!is.null(init_fn)) {
      if (!is.function(init_fn)) return(platform_error(sprintf("%s: init must be a function", entry)))
      config <- lapply(request$config, as.character)
      ctx <- list(
        model_dir = model_dir,
        coefficients_dir = request$coefficientsDir,
        config = config,
        logger = model_logger(),
        # No Ignite client for R in Debian: see the header of this file.
        ignite = NULL
      )
      done <- call_model(function() init_fn(ctx))
      if (!done$ok) return(done)
    }
    predict_fn <<- predict
    list(ok = TRUE)
  }

  predict <- function(request) {
    if (is.null(predict_fn)) return(platform_error("predict before init"))
    input <- request$input
    if (!is.character(input) || length(input) != 1L) return(platform_error("input must be a string"))
    Encoding(input) <- "UTF-8"
    answered <- call_model(function() predict_fn(input))
    if (!answered$ok) return(answered)
    output <- answered$value
    if (!is.character(output) || length(output) != 1L || is.na(output)) {
      what <- paste0(class(output)[1L], " of length ", length(output))
      return(list(ok = FALSE, error = list(
        type = "TypeError", message = paste("predict must return one string, got", what), traceback = ""
      )))
    }
    list(ok = TRUE, output = output)
  }

  handle <- function(request) {
    switch(if (is.character(request$op)) request$op else "",
      init = init(request),
      predict = predict(request),
      undecodable = platform_error(paste("R cannot hold this request:", request$reason)),
      platform_error(sprintf("unknown op %s", format(request$op)))
    )
  }

  serve <- function(frames_in, frames_out) {
    repeat {
      request <- read_frame(frames_in)
      if (is.null(request)) break
      result <- handle(request)
      body <- encode_reply(request$id, result$ok, output = result$output, error = result$error)
      sent <- tryCatch({ write_frame(frames_out, body); TRUE }, error = function(e) FALSE)
      if (!sent) break
    }
  }

  options(warn = 1L, keep.source = FALSE, showWarnCalls = TRUE)
  # Each relay holds only the fd it carries, so a closed end is seen at once.
  frames_in <- pipe("exec cat <&3 4>&-", open = "rb")
  frames_out <- pipe("exec cat >&4 3<&-", open = "wb")
  serve(frames_in, frames_out)
  quit(save = "no", status = 0L, runLast = FALSE)
})
