package detect

// NudeNet is the YOLOv8n detector shipped in the nudenet 3.4.2 wheel
// (nudenet/320n.onnx): faces and covered or exposed body regions, the
// signals content advisories are built from. Its weights are AGPL-3.0, so
// Cinegraph never ships them: deploy/local/models.sh fetches the wheel into
// the user's cache.
//
// The reference post-processing (nudenet.py) suppresses overlaps across
// classes, so NudeNet does too. Input is RGB, as the model was trained;
// nudenet.py feeds three-channel files as BGR, which lowers its scores
// (0.72 against 0.81 for the face in scikit-image's astronaut photograph).
var NudeNet = Spec{
	Name:        "nudenet-320n@3.4.2",
	InputSize:   320,
	AgnosticNMS: true,
	Labels: []string{
		"FEMALE_GENITALIA_COVERED",
		"FACE_FEMALE",
		"BUTTOCKS_EXPOSED",
		"FEMALE_BREAST_EXPOSED",
		"FEMALE_GENITALIA_EXPOSED",
		"MALE_BREAST_EXPOSED",
		"ANUS_EXPOSED",
		"FEET_EXPOSED",
		"BELLY_COVERED",
		"FEET_COVERED",
		"ARMPITS_COVERED",
		"ARMPITS_EXPOSED",
		"FACE_MALE",
		"BELLY_EXPOSED",
		"MALE_GENITALIA_EXPOSED",
		"ANUS_COVERED",
		"FEMALE_BREAST_COVERED",
		"BUTTOCKS_COVERED",
	},
}
