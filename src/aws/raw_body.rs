//! Interceptors that let task definitions travel as the JSON documents they are: the SDK's
//! typed shapes drop fields newer than the SDK, so reads keep the response body and
//! RegisterTaskDefinition sends the user's document byte for byte.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};

/// Keeps a copy of the last response body of the operation it is attached to.
#[derive(Clone, Debug, Default)]
pub struct CaptureBody {
    slot: Arc<Mutex<Option<Vec<u8>>>>,
}

impl CaptureBody {
    /// The captured body, if a response was read.
    pub fn take(&self) -> Option<Vec<u8>> {
        self.slot.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl Intercept for CaptureBody {
    fn name(&self) -> &'static str {
        "CaptureBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut slot) = self.slot.lock()
        {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}

/// Replaces the serialized request body (before signing, so the signature covers it).
#[derive(Clone, Debug)]
pub struct ReplaceBody {
    body: Arc<Vec<u8>>,
}

impl ReplaceBody {
    /// Sends `body` instead of what the SDK serialized.
    pub fn new(body: Vec<u8>) -> Self {
        Self {
            body: Arc::new(body),
        }
    }
}

impl Intercept for ReplaceBody {
    fn name(&self) -> &'static str {
        "ReplaceBody"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        *request.body_mut() = SdkBody::from(self.body.as_slice().to_vec());
        request
            .headers_mut()
            .insert("content-length", self.body.len().to_string());
        Ok(())
    }
}
