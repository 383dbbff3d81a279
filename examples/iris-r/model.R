# Iris species classifier: multinomial logistic regression, base R plus jsonlite.
#
# The R twin of examples/iris-python: the same coefficients, the same arithmetic in the
# same order, the same compact JSON, so both answer every input with the same bytes.
#
# ML-RUN model contract:
#   init(ctx)        once per worker; loads coefficients/model.json
#   predict(input)   per request; a JSON string in, a JSON string out
#
# Input  {"features": [sepal_length, sepal_width, petal_length, petal_width]}  (cm)
#        {"instances": [[...4 numbers...], [...], ...]}                        (batch)
# Output {"class":"setosa","classIndex":0,"probabilities":{"setosa":0.997254,...}}
#        {"predictions":[{...}, ...]}                                         (batch)

MODEL_FILE <- "model.json"

iris <- new.env()
iris$model <- NULL
iris$log <- function(...) NULL
iris$log_predictions <- FALSE

# ---------------------------------------------------------------- loading

is_number <- function(v) is.numeric(v) && length(v) == 1L && is.finite(v)

check_vector <- function(data, key, n, path, positive = FALSE) {
  v <- data[[key]]
  if (!is.list(v) || length(v) != n || !all(vapply(v, is_number, TRUE))) {
    stop(sprintf("%s: '%s' must be a list of %d finite numbers", path, key, n), call. = FALSE)
  }
  v <- as.double(unlist(v))
  if (positive && !all(v > 0)) {
    stop(sprintf("%s: '%s' must be all > 0 (it divides the features)", path, key), call. = FALSE)
  }
  v
}

check_names <- function(data, key, path) {
  v <- data[[key]]
  ok <- is.list(v) && length(v) >= 1L &&
    all(vapply(v, function(x) is.character(x) && length(x) == 1L && nzchar(x), TRUE))
  if (!ok || anyDuplicated(unlist(v))) {
    stop(sprintf("%s: '%s' must be a non-empty list of distinct non-empty strings", path, key),
      call. = FALSE
    )
  }
  unlist(v)
}

load_model <- function(path) {
  data <- tryCatch(
    jsonlite::read_json(path, simplifyVector = FALSE),
    error = function(e) stop(sprintf("%s: not valid JSON (%s)", path, conditionMessage(e)), call. = FALSE)
  )
  if (!is.list(data) || is.null(names(data))) stop(sprintf("%s: expected a JSON object", path), call. = FALSE)
  classes <- check_names(data, "classes", path)
  features <- check_names(data, "features", path)
  if (length(classes) < 2L) stop(sprintf("%s: 'classes' needs at least 2 names", path), call. = FALSE)
  k <- length(classes)
  d <- length(features)
  weights <- data[["weights"]]
  if (!is.list(weights) || length(weights) != k) {
    stop(sprintf("%s: 'weights' must be %d rows (one per class) of %d numbers", path, k, d), call. = FALSE)
  }
  rows <- lapply(seq_len(k), function(i) {
    check_vector(list(row = weights[[i]]), "row", d, sprintf("%s: 'weights'[%d] (class %s)", path, i - 1L, classes[i]))
  })
  list(
    classes = classes, features = features,
    mean = check_vector(data, "mean", d, path),
    std = check_vector(data, "std", d, path, positive = TRUE),
    weights = rows,
    bias = check_vector(data, "bias", k, path),
    accuracy = data[["accuracy"]]
  )
}

init <- function(ctx) {
  iris$log <- ctx$logger$info
  flag <- tolower(trimws(if (is.null(ctx$config$LOG_PREDICTIONS)) "false" else ctx$config$LOG_PREDICTIONS))
  iris$log_predictions <- flag %in% c("1", "true", "yes")
  model <- load_model(file.path(ctx$coefficients_dir, MODEL_FILE))
  iris$model <- model
  iris$log(sprintf(
    "iris model ready: %d classes [%s], %d features, training accuracy %s",
    length(model$classes), paste(model$classes, collapse = ", "), length(model$features),
    format(model$accuracy)
  ))
}

# ---------------------------------------------------------------- predicting

usage <- function() {
  n <- length(iris$model$features)
  sprintf(
    'send JSON {"features":[%s]} (%d numbers) or {"instances":[[%d numbers], ...]}',
    paste(iris$model$features, collapse = ", "), n, n
  )
}

refuse <- function(text) stop(paste0(text, "; ", usage()), call. = FALSE)

parse_row <- function(row, where) {
  n <- length(iris$model$features)
  if (!is.list(row) || !is.null(names(row))) refuse(sprintf("%s must be a list of %d numbers", where, n))
  if (length(row) != n) refuse(sprintf("%s must have exactly %d numbers, got %d", where, n, length(row)))
  for (j in seq_len(n)) {
    if (!is_number(row[[j]])) {
      refuse(sprintf("%s[%d] (%s) must be a finite number", where, j - 1L, iris$model$features[j]))
    }
  }
  as.double(unlist(row))
}

# Python's repr of a float: the shortest text that reads back the same, "0.0" for zero.
float_text <- function(x) {
  text <- sprintf("%.15g", x)
  if (grepl("^-?[0-9]+$", text)) paste0(text, ".0") else text
}

# Sums left to right in doubles, as Python's sum() does (R's sum() keeps a long double).
add_up <- function(values) {
  total <- 0
  for (v in values) total <- total + v
  total
}

classify <- function(x) {
  m <- iris$model
  z <- (x - m$mean) / m$std
  logits <- vapply(seq_along(m$bias), function(i) m$bias[i] + add_up(m$weights[[i]] * z), 0)
  e <- exp(logits - max(logits))
  probs <- e / add_up(e)
  best <- which.max(probs)
  probabilities <- paste(sprintf('"%s":%s', m$classes, vapply(round(probs, 6), float_text, "")), collapse = ",")
  sprintf('{"class":"%s","classIndex":%d,"probabilities":{%s}}', m$classes[best], best - 1L, probabilities)
}

predict <- function(input) {
  if (is.null(iris$model)) stop("iris model is not initialised: init(ctx) must run before predict")
  data <- tryCatch(
    jsonlite::parse_json(input, simplifyVector = FALSE),
    error = function(e) refuse(sprintf("input is not valid JSON (%s)", conditionMessage(e)))
  )
  if (!is.list(data) || is.null(names(data))) refuse("input must be a JSON object")
  has <- function(key) key %in% names(data)
  if (has("features") && has("instances")) refuse('give either "features" or "instances", not both')
  result <- if (has("features")) {
    classify(parse_row(data$features, '"features"'))
  } else if (has("instances")) {
    rows <- data$instances
    if (!is.list(rows) || length(rows) == 0L || !is.null(names(rows))) {
      refuse('"instances" must be a non-empty list of rows')
    }
    each <- vapply(seq_along(rows), function(i) {
      classify(parse_row(rows[[i]], sprintf('"instances"[%d]', i - 1L)))
    }, "")
    sprintf('{"predictions":[%s]}', paste(each, collapse = ","))
  } else {
    refuse('missing "features"')
  }
  if (iris$log_predictions) iris$log(sprintf("predict %s -> %s", input, result))
  result
}
